import { createTradeClient, type TradeClient } from '@friren/client';
import { JOB_NAMES, parseTradeJob, QUEUES } from '@friren/contracts';
import { countTrades } from '@friren/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MariadbServer, startMariadbServer } from '../support/mariadb-server.js';
import { sleep, waitUntil } from '../support/wait.js';
import {
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

const prefix = `test-rec-${randomSuffix()}`;
let server: MariadbServer;
let ledger: TestLedger;
let redis: Redis;
let queue: Queue;
let client: TradeClient;
let recorder: ServedRecorder;

beforeAll(async () => {
  server = await startMariadbServer();
  ledger = await createTestLedger(server.url);
  redis = redisClient();
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
  recorder = await serveRecorder(testConfig({ mysqlUrl: ledger.url, prefix }), { settings: { batchMs: 5 } });
  await waitUntil(async () => (await readyz()).status === 200, 15_000, 100);
}, 90_000);

afterAll(async () => {
  await recorder?.close();
  await client?.close();
  await queue?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop().catch(() => {});
  await server?.destroy();
});

async function readyz(): Promise<{ status: number; body: { checks?: Record<string, { ok: boolean }> } }> {
  const res = await fetch(`${recorder.opsUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { checks?: Record<string, { ok: boolean }> } };
}

async function pausedGauge(): Promise<string | undefined> {
  const text = await (await fetch(`${recorder.opsUrl}/metrics`)).text();
  return /^friren_recorder_paused (\S+)$/m.exec(text)?.[1];
}

describe('trade recorder, database outage', () => {
  it('loses nothing when MariaDB dies mid-stream; new trades wait in the queue; the backlog drains after it returns', async () => {
    const total = 3000;
    let sent = 0;
    // A steady producer: 100 trades every 50 ms (2k/s), through the client, until well into the outage.
    const producing = (async () => {
      while (sent < total) {
        const chunk = Array.from({ length: 100 }, (_, k) => makeTrade(sent + k, 'outage'));
        await client.submitMany(chunk);
        sent += chunk.length;
        await sleep(50);
      }
    })();

    await waitUntil(async () => (await countTrades(ledger.database.db)) > 300, 15_000, 20);
    await server.stop('SIGKILL');
    const downAt = performance.now();

    // The worker stays up and readiness names the database (its probe is cached for a second).
    await waitUntil(async () => (await readyz()).body.checks?.['database']?.ok === false, 5_000, 50);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.checks?.['redis']?.ok).toBe(true);
    expect(body.checks?.['workers']).toMatchObject({
      ok: false,
      detail: 'paused until the database answers',
    });

    await sleep(Math.max(0, 2_500 - (performance.now() - downAt)));
    // The batch that failed is retried (delayed), nothing failed for good, and the recorder stopped
    // taking trades: what the producer sent since waits in the queue.
    const during = await queue.getJobCounts('failed', 'delayed', 'waiting');
    expect(during.failed).toBe(0);
    expect(during.delayed).toBeGreaterThan(0);
    expect(during.waiting).toBeGreaterThan(0);
    expect(await pausedGauge()).toBe('1');

    await server.start();
    await producing;
    await waitUntil(async () => (await countTrades(ledger.database.db)) === total, 60_000, 100);
    await waitUntil(async () => (await queue.getJobCounts('completed')).completed === total, 10_000, 50);
    expect(await queue.getJobCounts('failed', 'delayed', 'waiting', 'active')).toEqual({
      failed: 0,
      delayed: 0,
      waiting: 0,
      active: 0,
    });
    expect(await pausedGauge()).toBe('0');
    await waitUntil(async () => (await readyz()).status === 200, 5_000, 100);
  }, 90_000);

  it('keeps a job on its last attempt (a bare BullMQ producer sets none) delayed, not failed', async () => {
    const before = await countTrades(ledger.database.db);
    await server.stop('SIGKILL');
    await waitUntil(async () => (await readyz()).status === 503, 5_000, 50);

    // No attempts option: the first failed commit is their last attempt.
    const raw = Array.from({ length: 50 }, (_, k) => parseTradeJob(makeTrade(10_000 + k, 'raw')));
    await queue.addBulk(
      raw.map((r, k) => {
        if (!r.ok) throw new Error(r.reason);
        return { name: JOB_NAMES.trade, data: r.value, opts: { jobId: `raw-${k}` } };
      }),
    );
    // The first batch fails (those jobs are delayed, not failed), which pauses the recorder: the
    // rest wait in the queue untouched.
    await waitUntil(async () => ((await queue.getJobCounts('delayed')).delayed ?? 0) > 0, 10_000, 50);
    await sleep(1_500);
    const during = await queue.getJobCounts('failed', 'delayed', 'waiting');
    expect(during.failed).toBe(0);
    expect((during.delayed ?? 0) + (during.waiting ?? 0)).toBe(raw.length);

    await server.start();
    await waitUntil(async () => (await countTrades(ledger.database.db)) === before + raw.length, 90_000, 100);
    expect(await queue.getJobCounts('failed', 'delayed', 'waiting', 'active')).toEqual({
      failed: 0,
      delayed: 0,
      waiting: 0,
      active: 0,
    });
  }, 120_000);
});
