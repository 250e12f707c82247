import { JOB_NAMES, QUEUES } from '@friren/contracts';
import { countTrades, listRejected, type StoredRejected } from '@friren/db';
import { createMetrics, type Registry } from '@friren/observability';
import { start, type TradeRecorder } from '@friren/trade-recorder';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  makeTrade,
  randomSuffix,
  redisClient,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `test-rec-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let queue: Queue;
let recorder: TradeRecorder;
let registry: Registry;

const valid = makeTrade(2, 'ok');
const deep = (levels: number): Record<string, unknown> => (levels === 0 ? {} : { a: deep(levels - 1) });

/** One bad job per rule of docs/CONTRACT.md §3, wrong types, missing/unknown fields, oversize and non-JSON data. */
const BAD: { name: string; field: string; data: unknown; jobName?: string }[] = [
  { name: 'trade_id missing', field: 'trade_id', data: omit(valid, 'trade_id') },
  { name: 'trade_id too long', field: 'trade_id', data: { ...valid, trade_id: 'x'.repeat(65) } },
  { name: 'trade_id bad characters', field: 'trade_id', data: { ...valid, trade_id: 'has space' } },
  { name: 'trade_id a number', field: 'trade_id', data: { ...valid, trade_id: 12345 } },
  { name: 'account missing', field: 'account', data: omit(valid, 'account') },
  { name: 'account not configured', field: 'account', data: { ...valid, account: 'delta' } },
  { name: 'account malformed', field: 'account', data: { ...valid, account: 'UPPER' } },
  { name: 'symbol lowercase', field: 'symbol', data: { ...valid, symbol: 'aapl' } },
  { name: 'symbol too long', field: 'symbol', data: { ...valid, symbol: 'A'.repeat(22) } },
  { name: 'side not buy/sell', field: 'side', data: { ...valid, side: 'hold' } },
  { name: 'side a number', field: 'side', data: { ...valid, side: 1 } },
  { name: 'quantity zero', field: 'quantity', data: { ...valid, quantity: '0' } },
  { name: 'quantity negative', field: 'quantity', data: { ...valid, quantity: '-1' } },
  { name: 'quantity 10 decimals', field: 'quantity', data: { ...valid, quantity: '1.0000000001' } },
  { name: 'quantity exponent', field: 'quantity', data: { ...valid, quantity: '1e5' } },
  { name: 'quantity a boolean', field: 'quantity', data: { ...valid, quantity: true } },
  { name: 'quantity NaN (JSON null)', field: 'quantity', data: { ...valid, quantity: Number.NaN } },
  { name: 'price missing', field: 'price', data: omit(valid, 'price') },
  { name: 'price zero', field: 'price', data: { ...valid, price: 0 } },
  { name: 'price not a number', field: 'price', data: { ...valid, price: 'abc' } },
  { name: 'price Infinity (JSON null)', field: 'price', data: { ...valid, price: Number.POSITIVE_INFINITY } },
  { name: 'price 30 integer digits', field: 'price', data: { ...valid, price: '1'.repeat(30) } },
  {
    name: 'timestamp without offset',
    field: 'timestamp',
    data: { ...valid, timestamp: '2026-11-25T14:30:00' },
  },
  { name: 'timestamp not a date', field: 'timestamp', data: { ...valid, timestamp: '2026-02-30T00:00:00Z' } },
  {
    name: 'timestamp nanoseconds',
    field: 'timestamp',
    data: { ...valid, timestamp: '2026-11-25T14:30:00.123456789Z' },
  },
  { name: 'timestamp a number', field: 'timestamp', data: { ...valid, timestamp: 1764080000000 } },
  { name: 'strategy_used empty', field: 'strategy_used', data: { ...valid, strategy_used: '' } },
  {
    name: 'strategy_used too long',
    field: 'strategy_used',
    data: { ...valid, strategy_used: 's'.repeat(65) },
  },
  { name: 'finbert_sentiment > 1', field: 'finbert_sentiment', data: { ...valid, finbert_sentiment: 1.5 } },
  {
    name: 'finbert_sentiment a string',
    field: 'finbert_sentiment',
    data: { ...valid, finbert_sentiment: '0.5' },
  },
  { name: 'confidence_score < 0', field: 'confidence_score', data: { ...valid, confidence_score: -0.1 } },
  { name: 'fees negative', field: 'fees', data: { ...valid, fees: '-0.01' } },
  { name: 'order_id empty', field: 'order_id', data: { ...valid, order_id: '' } },
  {
    name: 'metadata over 4 KiB',
    field: 'metadata',
    data: { ...valid, metadata: { note: 'n'.repeat(5000) } },
  },
  {
    name: 'metadata 1 MB',
    field: 'metadata',
    data: { ...valid, metadata: { blob: 'b'.repeat(1024 * 1024) } },
  },
  { name: 'metadata an array', field: 'metadata', data: { ...valid, metadata: [1, 2] } },
  { name: 'metadata too deep', field: 'metadata', data: { ...valid, metadata: deep(40) } },
  {
    name: 'metadata with __proto__',
    field: 'metadata',
    data: { ...valid, metadata: JSON.parse('{"__proto__":{"polluted":true}}') },
  },
  { name: 'unknown field', field: 'extra', data: { ...valid, extra: 1 } },
  { name: 'side undefined (dropped by JSON)', field: 'side', data: { ...valid, side: undefined } },
  { name: 'payload a string', field: '(payload)', data: 'not an object' },
  { name: 'payload an array', field: '(payload)', data: [valid] },
  { name: 'payload null', field: '(payload)', data: null },
  { name: 'wrong job name', field: '(job name)', data: valid, jobName: 'trades' },
];

function omit(o: Record<string, unknown>, key: string): Record<string, unknown> {
  const { [key]: _, ...rest } = o;
  return rest;
}

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  registry = createMetrics({ defaultMetrics: false }).registry;
  recorder = await start(testConfig({ mysqlUrl: ledger.url, prefix }), {
    registry,
    settings: { batchMs: 5 },
  });
});

afterAll(async () => {
  await recorder?.close();
  await queue?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

async function rejectedRows(): Promise<StoredRejected[]> {
  return listRejected(ledger.database.db, { limit: 1000 });
}

describe('trade recorder, invalid jobs', () => {
  it('stores every kind of bad payload once, raw, with the field named; valid trades in between land', async () => {
    // Added raw (bypassing @friren/client, which would refuse them), three valid trades around each.
    const jobs: { name: string; data: unknown; opts: { jobId: string; attempts: number } }[] = [];
    let validCount = 0;
    BAD.forEach((bad, i) => {
      for (let k = 0; k < 3; k++) {
        jobs.push({
          name: JOB_NAMES.trade,
          data: makeTrade(1000 + validCount, 'between'),
          opts: { jobId: `good-${validCount}`, attempts: 3 },
        });
        validCount++;
      }
      jobs.push({
        name: bad.jobName ?? JOB_NAMES.trade,
        data: bad.data,
        opts: { jobId: `bad-${i}`, attempts: 5 },
      });
    });
    await queue.addBulk(jobs);

    await waitUntil(async () => (await rejectedRows()).length === BAD.length, 30_000, 50);
    await waitUntil(async () => (await countTrades(ledger.database.db)) === validCount, 30_000, 50);

    const rows = new Map((await rejectedRows()).map((r) => [r.job_id, r]));
    expect(rows.size).toBe(BAD.length);
    for (const [i, bad] of BAD.entries()) {
      const row = rows.get(`bad-${i}`);
      expect(row, bad.name).toBeDefined();
      expect(row!.reason, bad.name).toContain(`${bad.field}:`);
      // The payload exactly as BullMQ delivered it (what JSON made of the producer's data).
      expect(JSON.parse(row!.payload), bad.name).toEqual(JSON.parse(JSON.stringify(bad.data) ?? 'null'));
    }
    expect(
      rows.get(`bad-${BAD.findIndex((b) => b.name === 'metadata 1 MB')}`)!.payload.length,
    ).toBeGreaterThan(1024 * 1024);

    // Failed for good on the first attempt, despite attempts: 5.
    await waitUntil(async () => (await queue.getJobCounts('failed')).failed === BAD.length, 10_000, 50);
    for (const [i] of BAD.entries()) {
      const job = await queue.getJob(`bad-${i}`);
      expect(await job!.getState()).toBe('failed');
      expect(job!.attemptsMade).toBe(1);
      expect(job!.failedReason).toMatch(/^trade rejected: /);
    }
    expect(await queue.getJobCounts('completed', 'delayed', 'waiting')).toEqual({
      completed: validCount,
      delayed: 0,
      waiting: 0,
    });

    const metric = await registry.getSingleMetric('friren_trades_rejected_total')!.get();
    const byReason = Object.fromEntries(metric.values.map((v) => [v.labels['reason'], v.value]));
    expect(byReason['metadata']).toBe(BAD.filter((b) => b.field === 'metadata').length);
    expect(byReason['unknown_field']).toBe(1);
    expect(byReason['payload']).toBe(3);
    expect(byReason['job_name']).toBe(1);
  });

  it('a redelivered invalid job leaves a row per delivery (a rejection is an event)', async () => {
    const job = await queue.getJob('bad-0');
    const firstRun = job!.processedOn!;
    await job!.retry('failed');
    await waitUntil(async () => {
      const again = await queue.getJob('bad-0');
      return (again!.processedOn ?? 0) > firstRun && (await again!.getState()) === 'failed';
    });
    const rows = (await rejectedRows()).filter((r) => r.job_id === 'bad-0');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.reason).toBe(rows[0]!.reason);
  });

  it('a non-JSON value (BigInt) is refused by BullMQ at the producer, never queued', async () => {
    await expect(
      queue.add(JOB_NAMES.trade, { ...valid, quantity: 10n }, { jobId: 'bigint' }),
    ).rejects.toThrow(/BigInt/);
    expect(await queue.getJob('bigint')).toBeUndefined();
  });

  it('a trade the database would alter is refused alone; the rest of its batch lands', async () => {
    // Narrow a column behind the recorder's back, so a valid symbol no longer fits unaltered.
    // (Every strategy name used so far is at most 12 characters.)
    await ledger.database.pool
      .promise()
      .query(
        'ALTER TABLE trades MODIFY strategy_used VARCHAR(12) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL',
      );
    const before = await countTrades(ledger.database.db);
    const batch = [0, 1, 2, 3, 4].map((i) => ({
      ...makeTrade(i, 'narrow'),
      ...(i === 2 ? { strategy_used: 'a-much-longer-strategy' } : {}),
    }));
    await queue.addBulk(
      batch.map((data, i) => ({ name: JOB_NAMES.trade, data, opts: { jobId: `narrow-${i}` } })),
    );
    await waitUntil(async () => (await rejectedRows()).some((r) => r.job_id === 'narrow-2'), 15_000, 50);
    await waitUntil(async () => (await countTrades(ledger.database.db)) === before + 4, 15_000, 50);
    const row = (await rejectedRows()).find((r) => r.job_id === 'narrow-2')!;
    expect(row.reason).toMatch(/^database: would be stored altered/);
    expect(row.reason).toContain('strategy_used');
    const job = await queue.getJob('narrow-2');
    await waitUntil(async () => (await job!.getState()) === 'failed');
  });
});
