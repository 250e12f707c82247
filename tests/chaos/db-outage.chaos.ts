import { createTradeClient, type TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import { QUEUES } from '@friren/contracts';
import { countTrades } from '@friren/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  createTestLedger,
  deletePrefix,
  REDIS_URL,
  randomSuffix,
  recorderEnv,
  redisClient,
  type TestLedger,
} from '../recorder/helpers.js';
import { type MariadbServer, startMariadbServer } from '../support/mariadb-server.js';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { cpuSeconds, N, scenario, sleep } from './support.js';

/**
 * Database outage: the recorder (its own process) writes to a mariadbd this test owns; mid-stream
 * the server is killed for N.outageMs while producers keep submitting. Nothing may be lost, the
 * recorder must stay up without spinning, readiness must say the database is down, and the backlog
 * must drain once it is back.
 */
const prefix = `friren-chaos-db-${randomSuffix()}`;
let server: MariadbServer;
let ledger: TestLedger;
let redis: Redis;
let client: TradeClient;
let recorder: SpawnedApp | undefined;

beforeAll(async () => {
  server = await startMariadbServer();
  ledger = await createTestLedger(server.url);
  redis = redisClient();
  client = createTradeClient({ redisUrl: REDIS_URL, prefix });
}, 120_000);

afterAll(async () => {
  await recorder?.stop('SIGKILL');
  await client?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop().catch(() => {});
  await server?.destroy();
});

function trade(i: number): TradeJobInput {
  return {
    trade_id: `dbo-${i}`,
    account: ACCOUNTS[i % ACCOUNTS.length]!,
    symbol: 'AAPL',
    side: i % 2 === 0 ? 'buy' : 'sell',
    quantity: `${(i % 9) + 1}`,
    price: `${150 + (i % 50)}.5`,
    timestamp: '2026-11-25T15:00:00.000001Z',
    strategy_used: 'outage',
  };
}

describe('chaos: database outage', () => {
  it('MariaDB down mid-stream: 0 lost, recorder up and not spinning, readiness says so, backlog drains', async () => {
    const total = N.outageTrades;
    const outageS = N.outageMs / 1000;
    await scenario(
      {
        id: 'db-outage',
        order: 40,
        scenario: 'Database outage',
        load: `${total} trades at a steady rate through the outage`,
        faults: `own mariadbd SIGKILLed for ${outageS} s mid-stream, then restarted`,
        inputs: `${total} trades`,
      },
      async (row) => {
        const opsPort = await freePort();
        recorder = spawnApp('trade-recorder', {
          ...recorderEnv({ mysqlUrl: ledger.url, prefix, opsPort }),
          LOG_LEVEL: 'info',
        });
        await recorder.waitFor(/recording trades/, 60_000);
        const readyz = async () => {
          const res = await fetch(`http://127.0.0.1:${opsPort}/readyz`).catch(() => null);
          return res?.status ?? 0;
        };

        // Production spans: a little before, the whole outage, a little after.
        const spanS = outageS + 8;
        const perSec = Math.ceil(total / spanS);
        let sent = 0;
        const t0 = performance.now();
        const producing = (async () => {
          while (sent < total) {
            const n = Math.min(100, total - sent);
            await client.submitMany(Array.from({ length: n }, (_, k) => trade(sent + k)));
            sent += n;
            const ahead = (sent / perSec) * 1000 - (performance.now() - t0);
            if (ahead > 0) await sleep(ahead);
          }
        })();

        await waitUntil(async () => (await countTrades(ledger.database.db)) > perSec, 30_000, 50);
        const pid = recorder.child.pid;
        await server.stop('SIGKILL');
        const cpu0 = cpuSeconds(pid);
        const logBefore = recorder.output().split('\n').length;
        const downAt = performance.now();
        const readyDuring = await waitUntil(async () => ((await readyz()) === 503 ? 503 : 0), 10_000, 100);
        const notReadyAfterMs = Math.round(performance.now() - downAt);
        // Sample readiness through the outage.
        let samples = 0;
        let ready200 = 0;
        while (performance.now() - downAt < N.outageMs) {
          const s = await readyz();
          samples++;
          if (s === 200) ready200++;
          await sleep(500);
        }
        const cpuDuring = cpuSeconds(pid) - cpu0;
        const logLinesDuring = recorder.output().split('\n').length - logBefore;
        const aliveDuring = recorder.child.exitCode === null && recorder.child.signalCode === null;
        await server.start();
        const upAt = performance.now();
        await producing;
        await waitUntil(async () => (await countTrades(ledger.database.db)) >= total, 120_000, 250);
        const drainS = (performance.now() - upAt) / 1000;
        await waitUntil(async () => (await readyz()) === 200, 30_000, 100);
        await sleep(500);
        const [rows] = await ledger.database.pool
          .promise()
          .query('SELECT COUNT(*) AS n, COUNT(DISTINCT trade_id) AS d FROM trades');
        const r = (rows as { n: number | string; d: number | string }[])[0]!;
        const n = Number(r.n);
        const d = Number(r.d);
        row.lost = total - d;
        row.duplicated = n - d;
        row.figures['readiness 503 after (ms)'] = notReadyAfterMs;
        row.figures['readiness samples during outage (200 / total)'] = `${ready200} / ${samples}`;
        row.figures['recorder CPU during outage (% of one core)'] =
          Math.round((cpuDuring / outageS) * 1000) / 10;
        row.figures['recorder log lines during outage'] = logLinesDuring;
        row.figures['recorder alive through outage'] = aliveDuring ? 'yes' : 'no';
        row.figures['backlog drained after restart (s)'] = Math.round(drainS * 10) / 10;
        row.figures['submit rate (trades/s)'] = perSec;
        expect(readyDuring).toBe(503);
        expect(ready200).toBe(0);
        expect(aliveDuring).toBe(true);
        expect(recorder.child.exitCode).toBeNull();
        // Not spinning: bounded retries (BullMQ backoff), and idle while it cannot write (a failed
        // commit pauses the workers until the database answers; new trades wait in the queue).
        const attempts: number[] = [];
        const queue = new Queue(QUEUES.trades, { connection: { url: REDIS_URL }, prefix });
        try {
          for (let start = 0; ; start += 1000) {
            const jobs = await queue.getJobs(['completed'], start, start + 999, true);
            for (const j of jobs) attempts.push(j.attemptsMade);
            if (jobs.length < 1000) break;
          }
        } finally {
          await queue.close();
        }
        const retried = attempts.filter((a) => a > 1);
        row.figures['jobs retried (attempts > 1)'] = retried.length;
        row.figures['attempts per retried job (mean / max)'] =
          retried.length === 0
            ? '—'
            : `${Math.round((retried.reduce((a, b) => a + b, 0) / retried.length) * 10) / 10} / ${Math.max(...retried)}`;
        expect(Math.max(0, ...attempts)).toBeLessThanOrEqual(20);
        expect(cpuDuring / outageS).toBeLessThan(0.25);
        expect(logLinesDuring / outageS).toBeLessThan(50);
        expect(d).toBe(total);
        expect(n).toBe(total);
      },
    );
  }, 600_000);
});
