import { createTradeClient, type TradeClient } from '@friren/client';
import { QUEUES } from '@friren/contracts';
import { countTrades } from '@friren/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { sleep, waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  makeTrade,
  REDIS_URL,
  randomSuffix,
  recorderEnv,
  redisClient,
  type TestLedger,
} from './helpers.js';

const prefix = `test-rec-${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let queue: Queue;
let client: TradeClient;
const apps: SpawnedApp[] = [];

async function spawnRecorder(): Promise<SpawnedApp> {
  const app = spawnApp('trade-recorder', {
    ...recorderEnv({ mysqlUrl: ledger.url, prefix, opsPort: await freePort() }),
    // Short locks so a killed recorder's jobs are redelivered within seconds, not a minute.
    RECORDER_LOCK_MS: '2000',
  });
  apps.push(app);
  await app.waitFor(/recording trades/, 30_000);
  return app;
}

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
});

afterAll(async () => {
  for (const app of apps) await app.stop('SIGKILL');
  await client?.close();
  await queue?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

/** Submits `total` trades, 100 every 20 ms, tagged so rounds do not collide. */
function produce(total: number, tag: string): { done: Promise<void>; sent: () => number } {
  let sent = 0;
  const done = (async () => {
    while (sent < total) {
      const chunk = Array.from({ length: 100 }, (_, k) => makeTrade(sent + k, tag));
      await client.submitMany(chunk);
      sent += chunk.length;
      await sleep(20);
    }
  })();
  return { done, sent: () => sent };
}

async function distinctTradeIds(): Promise<number> {
  const [rows] = await ledger.database.pool
    .promise()
    .query('SELECT COUNT(DISTINCT trade_id) AS n FROM trades');
  return Number((rows as { n: number | string }[])[0]!.n);
}

describe('trade recorder process', () => {
  it('SIGKILLed mid-stream and restarted: exact count, no duplicates', async () => {
    const first = await spawnRecorder();
    const run = produce(4000, 'kill');
    await waitUntil(async () => (await countTrades(ledger.database.db)) > 500, 20_000, 20);
    expect(await first.stop('SIGKILL')).toBeNull();
    const atKill = await countTrades(ledger.database.db);
    expect(atKill).toBeLessThan(4000);

    await spawnRecorder();
    await run.done;
    await waitUntil(async () => (await countTrades(ledger.database.db)) === 4000, 30_000, 100);
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed === 4000, 15_000, 100);
    expect(await distinctTradeIds()).toBe(4000);
    expect(await queue.getJobCounts('failed', 'active', 'waiting')).toEqual({
      failed: 0,
      active: 0,
      waiting: 0,
    });
  }, 90_000);

  it('SIGTERM mid-stream: ordered shutdown acknowledges only committed trades and exits 0', async () => {
    const running = apps[apps.length - 1]!;
    const base = await countTrades(ledger.database.db);
    const run = produce(3000, 'term');
    await waitUntil(async () => (await countTrades(ledger.database.db)) > base + 300, 20_000, 20);
    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.output()).toMatch(/"step":"flush batch"/);

    // Nothing left half-done: every job is either completed with its row, or still queued.
    const counts = await queue.getJobCounts('active', 'completed', 'failed');
    expect(counts.active).toBe(0);
    expect(counts.failed).toBe(0);
    expect(await countTrades(ledger.database.db)).toBe(counts.completed);

    await spawnRecorder();
    await run.done;
    await waitUntil(async () => (await countTrades(ledger.database.db)) === base + 3000, 30_000, 100);
    expect(await distinctTradeIds()).toBe(base + 3000);
  }, 90_000);
});
