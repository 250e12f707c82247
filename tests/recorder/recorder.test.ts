import { createTradeClient, type TradeClient, tradeJobId } from '@friren/client';
import { JOB_NAMES, parseTradeJob, QUEUES, redisKeys, type TradeJob } from '@friren/contracts';
import { countTrades, listTradesAfter, type StoredTrade } from '@friren/db';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitUntil } from '../support/wait.js';
import {
  ACCOUNTS,
  createTestLedger,
  deletePrefix,
  makeTrade,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type ServedRecorder,
  serveRecorder,
  type TestLedger,
  testConfig,
} from './helpers.js';

const N = 10_000;
/** Duplicates re-added under fresh job ids. */
const AGAIN = N / 5;
const prefix = `test-rec-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let subscriber: Redis;
let client: TradeClient;
let recorder: ServedRecorder;
let trades: Queue;
let analytics: Queue;
const refreshMessages = new Map<string, string[]>();

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  subscriber = redisClient();
  const keys = redisKeys(prefix);
  await subscriber.subscribe(...ACCOUNTS.map((a) => keys.refreshChannel(a)));
  subscriber.on('message', (channel: string, message: string) => {
    refreshMessages.set(channel, [...(refreshMessages.get(channel) ?? []), message]);
  });
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
  trades = new Queue(QUEUES.trades, { connection: redis, prefix });
  analytics = new Queue(QUEUES.analytics, { connection: redis, prefix });
  recorder = await serveRecorder(testConfig({ mysqlUrl: ledger.url, prefix }), { settings: {} }); // the defaults
});

afterAll(async () => {
  await recorder?.close();
  await client?.close();
  await trades?.close();
  await analytics?.close();
  await subscriber?.quit();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

async function allStored(): Promise<Map<string, StoredTrade>> {
  const byId = new Map<string, StoredTrade>();
  for (const account of ACCOUNTS) {
    let cursor = '0';
    for (;;) {
      const page = await listTradesAfter(ledger.database.db, account, cursor, 5000);
      if (page.length === 0) break;
      for (const row of page) byId.set(row.trade_id, row);
      cursor = page[page.length - 1]!.id;
    }
  }
  return byId;
}

async function completedCount(): Promise<number> {
  const counts = await trades.getJobCounts('completed');
  return counts['completed'] ?? 0;
}

describe('trade recorder, happy path', () => {
  const inputs = Array.from({ length: N }, (_, i) => makeTrade(i));
  const expected = inputs.map((t) => {
    const r = parseTradeJob(t);
    if (!r.ok) throw new Error(`fixture ${t.trade_id} invalid: ${r.reason}`);
    return r.value;
  });

  it('records 10k trades from the client: exactly 10k rows, every field as sent', async () => {
    const started = performance.now();
    const submitted = await client.submitMany(inputs);
    expect(submitted.map((s) => s.jobId)).toEqual(inputs.map((t) => tradeJobId(t.account, t.trade_id)));
    expect(submitted.every((s) => s.status === 'queued')).toBe(true);
    await waitUntil(async () => (await completedCount()) === N, 60_000, 100);
    const seconds = (performance.now() - started) / 1000;
    console.info(`10k trades submitted and recorded in ${seconds.toFixed(2)} s`);

    expect(await countTrades(ledger.database.db)).toBe(N);
    const stored = await allStored();
    expect(stored.size).toBe(N);
    for (const want of expected) {
      const row = stored.get(want.trade_id);
      expect(row, want.trade_id).toBeDefined();
      expect(projection(row!)).toEqual(projectionOf(want));
    }
  });

  it('the same 10k again adds no row (through the client, and a sample as fresh jobs)', async () => {
    // Through the client: BullMQ still holds the completed jobs, so their ids drop the duplicates,
    // and the client says so.
    const again = await client.submitMany(inputs);
    expect(again.every((s) => s.status === 'duplicate')).toBe(true);
    // As new jobs (other ids, a sample of 2k to keep the suite short): they reach the ledger,
    // whose unique trade_id drops them.
    await trades.addBulk(
      expected
        .filter((_, i) => i % 5 === 0)
        .map((t, i) => ({ name: JOB_NAMES.trade, data: t, opts: { jobId: `again-${i}` } })),
    );
    await waitUntil(async () => (await completedCount()) === N + AGAIN, 60_000, 100);
    expect(await countTrades(ledger.database.db)).toBe(N);
    const failed = await trades.getJobCounts('failed', 'waiting', 'active', 'delayed');
    expect(failed).toEqual({ failed: 0, waiting: 0, active: 0, delayed: 0 });
  });

  it('triggers a handful of deduplicated recomputes and a refresh request per touched account', async () => {
    const jobs = await analytics.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
    // No analytics worker runs here: every commit after the first deduplicates onto one job per account.
    expect(jobs.map((j) => j.data.account).sort()).toEqual([...ACCOUNTS].sort());
    for (const job of jobs) expect(job.name).toBe(JOB_NAMES.recompute);
    const keys = redisKeys(prefix);
    for (const account of ACCOUNTS) {
      const messages = refreshMessages.get(keys.refreshChannel(account)) ?? [];
      expect(messages.length).toBeGreaterThan(0);
      const first = JSON.parse(messages[0]!) as { reason: string; at: number };
      expect(first.reason).toBe('fill');
      expect(Math.abs(Date.now() - first.at)).toBeLessThan(120_000);
    }
  });

  it('with an analytics worker busy, a burst still costs a handful of recomputes and none is missed', async () => {
    await analytics.obliterate({ force: true });
    const started: { account: string; at: number }[] = [];
    const worker = new Worker(
      QUEUES.analytics,
      async (job) => {
        started.push({ account: job.data.account, at: Date.now() });
        await sleep(30); // a recompute takes a while
      },
      { connection: redis, prefix, concurrency: 3 },
    );
    const burst = Array.from({ length: 5000 }, (_, i) => makeTrade(i, 'burst'));
    await client.submitMany(burst);
    await waitUntil(async () => (await completedCount()) === N + AGAIN + burst.length, 60_000, 100);
    await waitUntil(
      async () => {
        const c = await analytics.getJobCounts('waiting', 'active', 'delayed');
        return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
      },
      10_000,
      50,
    );
    await worker.close();

    for (const account of ACCOUNTS) {
      const runs = started.filter((s) => s.account === account);
      expect(runs.length).toBeGreaterThanOrEqual(1);
      expect(runs.length).toBeLessThan(60);
    }
    // The last commit of the burst was followed by a recompute for its account.
    const [rows] = await ledger.database.pool
      .promise()
      .query(
        "SELECT account, MAX(recorded_at) AS last FROM trades WHERE trade_id LIKE 'burst%' GROUP BY account",
      );
    for (const { account, last } of rows as { account: string; last: string }[]) {
      const lastCommit = Date.parse(`${last.replace(' ', 'T')}Z`);
      const lastRun = Math.max(...started.filter((s) => s.account === account).map((s) => s.at));
      expect(lastRun).toBeGreaterThanOrEqual(lastCommit - 5);
    }
  });

  it('serves readiness and the contract metrics', async () => {
    const url = recorder.opsUrl;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
    expect(Object.keys(body.checks).sort()).toEqual(['database', 'redis', 'schema', 'workers']);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const recorded = sumMetric(metrics, 'friren_trades_recorded_total');
    // Rows added: 10k on the first pass and the burst; the fresh-id duplicates (acknowledged, no
    // row added) are counted as duplicates only.
    expect(recorded).toBe(N + 5000);
    expect(sumMetric(metrics, 'friren_trades_duplicate_total')).toBe(AGAIN);
    expect(metrics).toMatch(/friren_trades_recorded_total\{account="alpha",strategy="momentum"\} \d+/);
    expect(metrics).toMatch(/friren_trade_commit_latency_seconds_count \d+/);
    expect(metrics).toMatch(/friren_trade_batch_size_bucket/);
    expect(metrics).toContain(`friren_queue_jobs{queue="trades",state="completed"} ${N + AGAIN + 5000}`);
  });
});

/** The fields a producer sends, as the ledger returns them (executed_at is the timestamp). */
function projection(row: StoredTrade) {
  return {
    trade_id: row.trade_id,
    account: row.account,
    symbol: row.symbol,
    side: row.side,
    quantity: row.quantity,
    price: row.price,
    fees: row.fees,
    timestamp: row.executed_at,
    strategy_used: row.strategy_used,
    finbert_sentiment: row.finbert_sentiment ?? undefined,
    confidence_score: row.confidence_score ?? undefined,
    order_id: row.order_id ?? undefined,
    metadata: row.metadata ?? undefined,
  };
}

function projectionOf(t: TradeJob) {
  return {
    trade_id: t.trade_id,
    account: t.account,
    symbol: t.symbol,
    side: t.side,
    quantity: t.quantity,
    price: t.price,
    fees: t.fees,
    timestamp: t.timestamp,
    strategy_used: t.strategy_used,
    finbert_sentiment: t.finbert_sentiment,
    confidence_score: t.confidence_score,
    order_id: t.order_id,
    metadata: t.metadata,
  };
}

function sumMetric(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').pop());
  }
  return sum;
}
