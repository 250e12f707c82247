import { createTradeClient, type TradeClient, tradeJobId } from '@friren/client';
import { JOB_NAMES, QUEUES } from '@friren/contracts';
import { countTrades, listRejected } from '@friren/db';
import { findRejected, replayRejected, start, type TradeRecorder } from '@friren/trade-recorder';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  ACCOUNTS,
  createTestLedger,
  deletePrefix,
  makeTrade,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `test-rec-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let queue: Queue;
let client: TradeClient;
let recorder: TradeRecorder;

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
  recorder = await start(testConfig({ mysqlUrl: ledger.url, prefix }), {
    settings: { batchMs: 2 },
  });
});

afterAll(async () => {
  await recorder?.close();
  await client?.close();
  await queue?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

describe('replayRejected (behind `friren replay-rejected`)', () => {
  it('re-submits a rejected trade after a fix, once', async () => {
    // Rejected under the very job id a corrected submission will need.
    const bad = { ...makeTrade(1, 'replay'), trade_id: 'replay:1', quantity: '0' };
    const jobId = tradeJobId(bad.account, bad.trade_id);
    await queue.add(JOB_NAMES.trade, bad, { jobId });
    await waitUntil(
      async () => (await listRejected(ledger.database.db, { limit: 10 })).length === 1,
      10_000,
      50,
    );
    const [row] = await listRejected(ledger.database.db, { limit: 10 });
    expect((await findRejected(ledger.database, row!.id))?.job_id).toBe(jobId);
    expect(await findRejected(ledger.database, '999999')).toBeUndefined();

    const deps = { database: ledger.database, client, queue, accounts: [...ACCOUNTS] };
    // Without a fix it is still invalid, and nothing changes.
    expect(await replayRejected(deps, row!.id)).toEqual({
      ok: false,
      reason: 'still invalid: quantity: must be > 0',
    });
    expect(await (await queue.getJob(jobId))!.getState()).toBe('failed');
    expect(await replayRejected(deps, '999999')).toEqual({
      ok: false,
      reason: 'no rejected trade with id 999999',
    });

    // A dry run validates the patched trade and queues nothing.
    const dry = await replayRejected(deps, row!.id, { quantity: '12.5', order_id: null }, { dryRun: true });
    expect(dry).toMatchObject({ ok: true, jobId });
    expect(await (await queue.getJob(jobId))!.getState()).toBe('failed');

    // The real one: the failed job holding the id is replaced, and the trade lands.
    const done = await replayRejected(deps, row!.id, { quantity: '12.5', order_id: null });
    expect(done).toMatchObject({ ok: true, jobId });
    await waitUntil(async () => (await countTrades(ledger.database.db)) === 1, 10_000, 50);
    const [rows] = await ledger.database.pool
      .promise()
      .query('SELECT trade_id, quantity, order_id FROM trades');
    expect(rows).toEqual([{ trade_id: 'replay:1', quantity: '12.500000000', order_id: null }]);

    // Once recorded, a second replay is refused rather than silently ignored.
    await waitUntil(async () => (await (await queue.getJob(jobId))!.getState()) === 'completed');
    expect(await replayRejected(deps, row!.id, { quantity: '12.5' })).toEqual({
      ok: false,
      reason: `job ${jobId} for this trade_id already exists (completed); nothing to replay`,
    });
  });

  it('refuses a stored payload that is not a JSON object', async () => {
    await queue.add(JOB_NAMES.trade, 'just text', { jobId: 'text-payload' });
    await waitUntil(
      async () =>
        (await listRejected(ledger.database.db, { limit: 10 })).some((r) => r.job_id === 'text-payload'),
      10_000,
      50,
    );
    const row = (await listRejected(ledger.database.db, { limit: 10 })).find(
      (r) => r.job_id === 'text-payload',
    )!;
    const deps = { database: ledger.database, client, queue, accounts: [...ACCOUNTS] };
    expect(await replayRejected(deps, row.id, { quantity: '1' })).toEqual({
      ok: false,
      reason: 'the stored payload is not a JSON object; submit a corrected trade instead',
    });
  });
});
