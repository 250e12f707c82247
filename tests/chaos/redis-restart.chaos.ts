import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTradeClient, type TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import { countTrades } from '@friren/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLedger, randomSuffix, type TestLedger } from '../recorder/helpers.js';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { N, scenario, sleep } from './support.js';

/**
 * Redis restart with AOF: a redis-server of the test's own (`appendonly yes`, `appendfsync
 * everysec`) under the four apps, each its own process. Trades are queued while the recorder is
 * stopped, Redis is killed and restarted from its AOF, and the apps must reconnect by themselves;
 * the orchestrator keeps answering reads from memory meanwhile.
 */
const ALIAS = 'aof';
const prefix = `friren-chaos-aof-${randomSuffix()}`;
const DOWN_MS = 5_000;
let dir: string;
let port: number;
let redisProc: ChildProcess | undefined;
let ledger: TestLedger;
let client: TradeClient;
const apps: SpawnedApp[] = [];

async function startRedis(): Promise<void> {
  const proc = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--dir',
      dir,
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  redisProc = proc;
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await waitUntil(
      async () => {
        try {
          if (probe.status !== 'ready') await probe.connect();
          // Loading the AOF answers LOADING until done.
          return (await probe.ping()) === 'PONG';
        } catch {
          return false;
        }
      },
      20_000,
      50,
    );
  } finally {
    probe.disconnect();
  }
}

async function killRedis(): Promise<void> {
  const proc = redisProc;
  if (!proc || proc.exitCode !== null) return;
  proc.kill('SIGKILL');
  await once(proc, 'exit');
  redisProc = undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'friren-chaos-redis-'));
  port = await freePort();
  await startRedis();
  ledger = await createTestLedger();
  client = createTradeClient({ redisUrl: `redis://127.0.0.1:${port}`, prefix });
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.stop('SIGKILL');
  await client?.close().catch(() => {});
  await killRedis();
  await rm(dir, { recursive: true, force: true });
  await ledger?.drop();
});

function trade(i: number): TradeJobInput {
  return {
    trade_id: `aof-${i}`,
    account: ALIAS,
    symbol: 'MSFT',
    side: i % 3 === 0 ? 'sell' : 'buy',
    quantity: '2',
    price: `${400 + (i % 10)}.25`,
    timestamp: '2026-11-25T15:30:00.000001Z',
    strategy_used: 'aof',
  };
}

describe('chaos: Redis restart with AOF', () => {
  it('queued trades survive a Redis crash-restart; apps reconnect by themselves; reads keep answering', async () => {
    const total = N.redisTrades;
    await scenario(
      {
        id: 'redis-restart',
        order: 50,
        scenario: 'Redis restart with AOF',
        load: `${total} trades queued with the recorder stopped, plus a stream through the restart`,
        faults: `own redis-server (appendonly, everysec) SIGKILLed, down ${DOWN_MS / 1000} s, restarted from its AOF`,
        inputs: `${total} trades + stream`,
      },
      async (row) => {
        const env = {
          REDIS_URL: `redis://127.0.0.1:${port}`,
          MYSQL_URL: ledger.url,
          FRIREN_PREFIX: prefix,
          FRIREN_ACCOUNTS: ALIAS,
          SNAPSHOT_REFRESH_MS: '500',
          SNAPSHOT_MIN_INTERVAL_MS: '200',
          SNAPSHOT_TTL_MS: '3000',
          ANALYTICS_SETTLE_MS: '100',
          LOG_LEVEL: 'warn',
        };
        const ops: Record<string, number> = {};
        const httpPort = await freePort();
        const launch = async (name: string) => {
          ops[name] = await freePort();
          const app = spawnApp(name, { ...env, OPS_PORT: String(ops[name]), HTTP_PORT: String(httpPort) });
          apps.push(app);
          return app;
        };
        const ready = async (name: string) => {
          const res = await fetch(`http://127.0.0.1:${ops[name]}/readyz`).catch(() => null);
          return res?.status === 200;
        };
        const names = ['orchestrator', 'analytics', 'poller', 'trade-recorder'];
        const running: Record<string, SpawnedApp> = {};
        for (const name of names) running[name] = await launch(name);
        for (const name of names) await waitUntil(() => ready(name), 90_000, 200);
        const viewUrl = `http://127.0.0.1:${httpPort}/v1/accounts/${ALIAS}`;
        await waitUntil(async () => (await fetch(viewUrl)).status === 200, 30_000, 100);

        // 1. Trades queued while nobody records them.
        expect(await running['trade-recorder']!.stop('SIGTERM')).toBe(0);
        for (let i = 0; i < total; i += 500) {
          await client.submitMany(Array.from({ length: Math.min(500, total - i) }, (_, k) => trade(i + k)));
        }
        // everysec: give the AOF its fsync.
        await sleep(1_500);

        // 2. Redis crashes; reads go on from memory; a producer keeps trying.
        let reading = true;
        let reads = 0;
        let readFailures = 0;
        let maxReadMs = 0;
        const reader = (async () => {
          while (reading) {
            const t = performance.now();
            const res = await fetch(viewUrl, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
            reads++;
            if (res?.status !== 200) readFailures++;
            else {
              await res.json();
              maxReadMs = Math.max(maxReadMs, performance.now() - t);
            }
            await sleep(100);
          }
        })();
        await killRedis();
        const downAt = performance.now();
        let streamAcked = 0;
        let streamErrors = 0;
        const stream = (async () => {
          let i = total;
          while (performance.now() - downAt < DOWN_MS + 3_000) {
            try {
              await client.submitMany([trade(i)]);
              streamAcked++;
              i++;
            } catch {
              streamErrors++;
            }
            await sleep(20);
          }
          return i;
        })();
        await sleep(DOWN_MS);
        await startRedis();
        const upAt = performance.now();
        const readyAgain: Record<string, number> = {};
        for (const name of ['orchestrator', 'analytics', 'poller']) {
          await waitUntil(() => ready(name), 60_000, 100);
          readyAgain[name] = Math.round(performance.now() - upAt);
        }
        const sentUpTo = await stream;
        reading = false;
        await reader;

        // 3. The recorder comes back and finds every queued trade.
        running['trade-recorder'] = await launch('trade-recorder');
        const acked = total + streamAcked;
        await waitUntil(async () => (await countTrades(ledger.database.db)) >= acked, 120_000, 250);
        await sleep(1_000);
        const [rows] = await ledger.database.pool
          .promise()
          .query('SELECT COUNT(*) AS n, COUNT(DISTINCT trade_id) AS d FROM trades');
        const r = (rows as { n: number | string; d: number | string }[])[0]!;
        const recorded = Number(r.d);
        // Acknowledged trades are aof-0 .. aof-(total + streamAcked - 1); a failed submit is retried with the same id.
        const [missing] = await ledger.database.pool
          .promise()
          .query('SELECT COUNT(*) AS n FROM trades WHERE trade_id IN (?)', [
            Array.from({ length: total }, (_, i) => `aof-${i}`),
          ]);
        const queuedSurvived = Number((missing as { n: number | string }[])[0]!.n);
        // The poller and analytics write to the restarted Redis again.
        const redis = new Redis({ port, host: '127.0.0.1' });
        const version0 = Number(await redis.hget(`${prefix}:account:${ALIAS}:snapshot:last-good`, 'version'));
        await waitUntil(
          async () =>
            Number(await redis.hget(`${prefix}:account:${ALIAS}:snapshot:last-good`, 'version')) > version0,
          20_000,
          100,
        );
        const perf = await waitUntil(
          async () => {
            const n = Number(await redis.hget(`${prefix}:account:${ALIAS}:performance`, 'trades_count'));
            return n === recorded ? n : 0;
          },
          60_000,
          250,
        );
        await redis.quit();

        row.lost = acked - recorded;
        row.duplicated = Number(r.n) - recorded;
        row.figures['queued while the recorder was stopped'] = total;
        row.figures['queued trades recorded after the restart'] = queuedSurvived;
        row.figures['stream: acknowledged / errors during the outage'] = `${streamAcked} / ${streamErrors}`;
        row.figures['stream ids sent'] = sentUpTo - total;
        row.figures['view reads during the outage (failed / total)'] = `${readFailures} / ${reads}`;
        row.figures['slowest view read (ms)'] = Math.round(maxReadMs);
        row.figures['apps ready again after Redis restart (ms)'] = Object.entries(readyAgain)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        row.figures['analytics trades_count after'] = perf;
        expect(queuedSurvived).toBe(total);
        expect(recorded).toBe(acked);
        expect(Number(r.n)).toBe(recorded);
        expect(readFailures).toBe(0);
        for (const name of ['orchestrator', 'analytics', 'poller'])
          expect(running[name]!.child.exitCode).toBeNull();
      },
    );
  }, 600_000);
});
