import { JOB_NAMES, QUEUES, type TradeJobInput } from '@friren/contracts';
import {
  countTrades,
  listRejected,
  listTradesAfter,
  MAX_JOB_ID_CHARS,
  type StoredRejected,
} from '@friren/db';
import { createMetrics, type Registry } from '@friren/observability';
import { start, type TradeRecorder } from '@friren/trade-recorder';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  randomSuffix,
  redisClient,
  type TestLedger,
  testConfig,
} from './helpers.js';

/**
 * The ledger never drops or hides a fill: a conflicting duplicate is a rejection, not a redelivery;
 * a trade id belongs to its account; every rejection is kept, whatever its job id; an execution time
 * in the future is refused.
 */

const prefix = `test-rec-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let queue: Queue;
let recorder: TradeRecorder;
let registry: Registry;

const X: TradeJobInput = {
  trade_id: 'X',
  account: 'alpha',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '10',
  price: '100',
  timestamp: '2026-11-25T14:30:00.000000Z',
  strategy_used: 'momentum',
};

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  registry = createMetrics({ defaultMetrics: false }).registry;
  recorder = await start(testConfig({ mysqlUrl: ledger.url, prefix }), {
    registry,
    settings: { batchMs: 5, maxFutureSkewMs: 60_000 },
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

async function rejected(): Promise<StoredRejected[]> {
  return listRejected(ledger.database.db, { limit: 1000 });
}

async function settled(jobId: string): Promise<string> {
  let state = '';
  await waitUntil(async () => {
    state = (await (await queue.getJob(jobId))?.getState()) ?? '';
    return state === 'completed' || state === 'failed';
  }, 15_000);
  return state;
}

async function metric(name: string): Promise<{ labels: Record<string, unknown>; value: number }[]> {
  const m = registry.getSingleMetric(name);
  return m ? (await m.get()).values.map((v) => ({ labels: { ...v.labels }, value: v.value })) : [];
}

async function total(name: string, labels: Record<string, string> = {}): Promise<number> {
  return (await metric(name))
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((sum, v) => sum + v.value, 0);
}

describe('trade recorder: duplicates, conflicts and rejections', () => {
  it('a conflicting duplicate is rejected with a reason naming the recorded trade and the fields; an exact one is a redelivery', async () => {
    await queue.add(JOB_NAMES.trade, X, { jobId: 'x-first' });
    expect(await settled('x-first')).toBe('completed');
    const [recorded] = await listTradesAfter(ledger.database.db, 'alpha', '0', 10);

    // The same trade, decimals written otherwise: the same trade, a redelivery.
    await queue.add(JOB_NAMES.trade, { ...X, quantity: 10, price: '100.000' }, { jobId: 'x-again' });
    expect(await settled('x-again')).toBe('completed');
    // A different trade under the same id: kept as a conflict.
    await queue.add(
      JOB_NAMES.trade,
      { ...X, side: 'sell', quantity: '999', price: '1.23' },
      { jobId: 'x-other' },
    );
    expect(await settled('x-other')).toBe('failed');

    expect(await countTrades(ledger.database.db, 'alpha')).toBe(1);
    const [row] = (await rejected()).filter((r) => r.job_id === 'x-other');
    expect(row!.reason).toBe(
      `trade_id: conflicts with recorded trade ${recorded!.id} (account "alpha", trade_id "X"): ` +
        'side recorded "buy", received "sell"; quantity recorded "10", received "999"; ' +
        'price recorded "100", received "1.23"',
    );
    expect(JSON.parse(row!.payload)).toMatchObject({ side: 'sell', quantity: '999' });
    const job = await queue.getJob('x-other');
    expect(job!.failedReason).toMatch(/^trade rejected: trade_id: conflicts with recorded trade/);
    expect(job!.attemptsMade).toBe(1);

    expect(await total('friren_trades_recorded_total', { account: 'alpha' })).toBe(1);
    expect(await total('friren_trades_duplicate_total')).toBe(1);
    expect(await total('friren_trades_conflicting_total', { account: 'alpha' })).toBe(1);
    expect(await total('friren_trades_rejected_total', { reason: 'conflict' })).toBe(1);
    expect((await rejected()).filter((r) => r.job_id === 'x-again')).toHaveLength(0);
  });

  it('the same trade_id from another account is another trade, recorded and counted for that account', async () => {
    const fill1 = { ...X, trade_id: 'fill-1' };
    await queue.add(JOB_NAMES.trade, fill1, { jobId: 'f1-alpha' });
    await queue.add(JOB_NAMES.trade, { ...fill1, account: 'beta', price: '101' }, { jobId: 'f1-beta' });
    expect(await settled('f1-alpha')).toBe('completed');
    expect(await settled('f1-beta')).toBe('completed');
    const beta = await listTradesAfter(ledger.database.db, 'beta', '0', 10);
    expect(beta.map((t) => [t.trade_id, t.price])).toEqual([['fill-1', '101']]);
    expect(await total('friren_trades_recorded_total', { account: 'beta' })).toBe(1);
    expect(await total('friren_trades_recorded_total', { account: 'alpha' })).toBe(2);
  });

  it('a rejection whose job id repeats (the id counter reset with Redis) is kept again', async () => {
    // A bare producer lets BullMQ number its jobs.
    const first = await queue.add(JOB_NAMES.trade, { ...X, trade_id: 'bad id' });
    expect(await settled(first.id!)).toBe('failed');
    // Redis lost its data: the job is gone and the id counter starts over, so the next job gets
    // the same id.
    await first.remove();
    await redis.set(`${prefix}:${QUEUES.trades}:id`, String(Number(first.id) - 1));
    const second = await queue.add(JOB_NAMES.trade, { ...X, side: 'hold' });
    expect(second.id).toBe(first.id);
    expect(await settled(second.id!)).toBe('failed');
    const rows = (await rejected()).filter((r) => r.job_id === first.id);
    expect(rows.map((r) => r.reason.split(':')[0])).toEqual(['trade_id', 'side']);
  });

  it('an invalid job with an id longer than its column is stored cut and marked; its batch and the recorder go on', async () => {
    const longId = `poison-${'p'.repeat(400)}`;
    const before = await total('friren_trade_batch_failures_total');
    await queue.addBulk([
      { name: JOB_NAMES.trade, data: { ...X, trade_id: 'before-poison' }, opts: { jobId: 'before-poison' } },
      { name: JOB_NAMES.trade, data: { ...X, quantity: '-1' }, opts: { jobId: longId } },
      { name: JOB_NAMES.trade, data: { ...X, trade_id: 'after-poison' }, opts: { jobId: 'after-poison' } },
    ]);
    expect(await settled(longId)).toBe('failed');
    expect(await settled('before-poison')).toBe('completed');
    expect(await settled('after-poison')).toBe('completed');
    const row = (await rejected()).find((r) => r.job_id.startsWith('poison-'))!;
    expect(row.job_id).toBe(longId.slice(0, MAX_JOB_ID_CHARS));
    expect(row.job_id_truncated).toBe(true);
    expect(row.reason).toBe(`quantity: must be > 0 (job id cut from ${longId.length} characters)`);
    expect(await total('friren_trade_batch_failures_total')).toBe(before);
    expect(await total('friren_recorder_paused')).toBe(0);
  });

  it('refuses execution times beyond the configured skew into the future, and offsets beyond ±14:00', async () => {
    const soon = new Date(Date.now() + 30_000).toISOString();
    const later = new Date(Date.now() + 120_000).toISOString();
    const jobs = [
      { id: 'ts-soon', data: { ...X, trade_id: 'ts-soon', timestamp: soon } },
      { id: 'ts-later', data: { ...X, trade_id: 'ts-later', timestamp: later } },
      { id: 'ts-9999', data: { ...X, trade_id: 'ts-9999', timestamp: '9999-12-31T23:59:59Z' } },
      { id: 'ts-2099', data: { ...X, trade_id: 'ts-2099', timestamp: '2099-01-01T00:00:00+01:00' } },
      { id: 'ts-offset', data: { ...X, trade_id: 'ts-offset', timestamp: '2026-11-25T14:30:00+23:59' } },
    ];
    await queue.addBulk(jobs.map((j) => ({ name: JOB_NAMES.trade, data: j.data, opts: { jobId: j.id } })));
    const states = await Promise.all(jobs.map((j) => settled(j.id)));
    expect(states).toEqual(['completed', 'failed', 'failed', 'failed', 'failed']);
    const reasons = new Map((await rejected()).map((r) => [r.job_id, r.reason]));
    for (const id of ['ts-later', 'ts-9999', 'ts-2099']) {
      expect(reasons.get(id)).toMatch(/^timestamp: is in the future: more than 60000 ms ahead/);
    }
    expect(reasons.get('ts-offset')).toBe('timestamp: offset must be within ±14:00');
  });
});
