import { createTradeClient, type TradeClient } from '@friren/client';
import type { TradeJobInput } from '@friren/contracts';
import { countTrades } from '@friren/db';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestLedger,
  deletePrefix,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type TestLedger,
} from '../recorder/helpers.js';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { N, rssMiB, scenario, sleep } from './support.js';

/**
 * Load: the four apps as their own processes; P producers submit at a fixed rate each while R
 * readers hit the orchestrator's view. Figures: trades/s held, commit latency (the recorder's
 * histogram), read latency, RSS of each app.
 */
const ALIAS = 'load';
const prefix = `friren-chaos-load-${randomSuffix()}`;
let ledger: TestLedger;
const clients: TradeClient[] = [];
const apps: Record<string, SpawnedApp> = {};
const ops: Record<string, number> = {};

beforeAll(async () => {
  ledger = await createTestLedger();
}, 60_000);

afterAll(async () => {
  for (const app of Object.values(apps)) await app.stop('SIGKILL');
  for (const c of clients) await c.close();
  const redis = redisClient();
  await deletePrefix(redis, prefix);
  await redis.quit();
  await ledger?.drop();
});

function trade(p: number, i: number): TradeJobInput {
  return {
    trade_id: `load-${p}-${i}`,
    account: ALIAS,
    symbol: ['AAPL', 'MSFT', 'NVDA'][i % 3]!,
    side: i % 2 === 0 ? 'buy' : 'sell',
    quantity: `${(i % 5) + 1}`,
    price: `${100 + (i % 40)}.${String(i % 100).padStart(2, '0')}`,
    timestamp: '2026-11-25T16:00:00.000001Z',
    strategy_used: ['momentum', 'mean-reversion'][p % 2]!,
  };
}

/** p-quantile of a Prometheus histogram (linear inside the bucket), in ms. */
function histogramQuantile(metrics: string, name: string, q: number): number {
  const buckets: [number, number][] = [];
  for (const line of metrics.split('\n')) {
    const m = new RegExp(`^${name}_bucket\\{[^}]*le="([^"]+)"[^}]*\\} (\\S+)`).exec(line);
    if (m) buckets.push([m[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2])]);
  }
  buckets.sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevLe * 1000;
      const frac = count === prevCount ? 0 : (rank - prevCount) / (count - prevCount);
      return Math.round((prevLe + (le - prevLe) * frac) * 1000 * 100) / 100;
    }
    prevLe = le;
    prevCount = count;
  }
  return Number.NaN;
}

describe('chaos: load', () => {
  it('producers at a fixed rate while readers hit the view: trades/s held, latencies, RSS', async () => {
    const producers = N.loadProducers;
    const rate = N.loadRatePerProducer;
    const seconds = N.loadSeconds;
    const target = producers * rate;
    await scenario(
      {
        id: 'load',
        order: 20,
        scenario: 'Load',
        load: `${producers} producers × ${rate} trades/s for ${seconds} s, ${N.loadReaders} readers on the HTTP view`,
        faults: 'none (throughput and latency)',
        inputs: `${target * seconds} trades`,
      },
      async (row) => {
        const env = {
          REDIS_URL,
          MYSQL_URL: ledger.url,
          FRIREN_PREFIX: prefix,
          FRIREN_ACCOUNTS: ALIAS,
          SNAPSHOT_REFRESH_MS: '1000',
          SNAPSHOT_MIN_INTERVAL_MS: '500',
          ANALYTICS_SETTLE_MS: '200',
          LOG_LEVEL: 'warn',
        };
        const httpPort = await freePort();
        for (const name of ['orchestrator', 'analytics', 'poller', 'trade-recorder']) {
          ops[name] = await freePort();
          apps[name] = spawnApp(name, { ...env, OPS_PORT: String(ops[name]), HTTP_PORT: String(httpPort) });
        }
        for (const name of Object.keys(apps)) {
          await waitUntil(
            async () => {
              if (apps[name]!.child.exitCode !== null) throw new Error(`${name} exited`);
              return (await fetch(`http://127.0.0.1:${ops[name]}/readyz`).catch(() => null))?.status === 200;
            },
            90_000,
            200,
          ).catch(async (e: unknown) => {
            const body = await fetch(`http://127.0.0.1:${ops[name]}/readyz`)
              .then((r) => r.text())
              .catch((err: unknown) => String(err));
            throw new Error(`${name} not ready: ${body}\n${apps[name]!.output().slice(-2000)}\n${String(e)}`);
          });
        }
        const viewUrl = `http://127.0.0.1:${httpPort}/v1/accounts/${ALIAS}`;
        await waitUntil(async () => (await fetch(viewUrl)).status === 200, 30_000, 100);
        for (let p = 0; p < producers; p++) clients.push(createTradeClient({ redisUrl: REDIS_URL, prefix }));

        const chunk = 100;
        const sentBy = new Array<number>(producers).fill(0);
        const t0 = performance.now();
        const deadline = t0 + seconds * 1000;
        const produce = async (p: number) => {
          const client = clients[p]!;
          while (performance.now() < deadline) {
            await client.submitMany(Array.from({ length: chunk }, (_, k) => trade(p, sentBy[p]! + k)));
            sentBy[p]! += chunk;
            const ahead = (sentBy[p]! / rate) * 1000 - (performance.now() - t0);
            if (ahead > 0) await sleep(ahead);
          }
        };
        const rss: Record<string, number> = {};
        const sampler = setInterval(() => {
          for (const [name, app] of Object.entries(apps))
            rss[name] = Math.max(rss[name] ?? 0, rssMiB(app.child.pid));
        }, 1000);
        const base = await countTrades(ledger.database.db);
        const [reads] = await Promise.all([
          autocannon({ url: viewUrl, connections: N.loadReaders, duration: seconds }),
          ...Array.from({ length: producers }, (_, p) => produce(p)),
        ]);
        const produceS = (performance.now() - t0) / 1000;
        const recordedInWindow = (await countTrades(ledger.database.db)) - base;
        const sent = sentBy.reduce((a, b) => a + b, 0);
        await waitUntil(async () => (await countTrades(ledger.database.db)) >= sent, 300_000, 250);
        const drainS = (performance.now() - t0) / 1000;
        clearInterval(sampler);
        const metrics = await (await fetch(`http://127.0.0.1:${ops['trade-recorder']}/metrics`)).text();
        const [rows] = await ledger.database.pool
          .promise()
          .query('SELECT COUNT(*) AS n, COUNT(DISTINCT trade_id) AS d FROM trades');
        const r = (rows as { n: number | string; d: number | string }[])[0]!;

        row.lost = sent - Number(r.d);
        row.duplicated = Number(r.n) - Number(r.d);
        row.inputs = `${sent} trades, ${reads.requests.total} reads`;
        row.figures['target (trades/s)'] = target;
        row.figures['submitted (trades/s)'] = Math.round(sent / produceS);
        // Pass means nothing lost and every read answered; whether the rate was held is a figure.
        row.figures['target held (submitted / target)'] = `${Math.round((sent / produceS / target) * 100)} %`;
        row.figures['recorded during the window (trades/s)'] = Math.round(recordedInWindow / produceS);
        row.figures['recorded end to end incl. drain (trades/s)'] = Math.round(sent / drainS);
        row.figures['drain after producers stopped (s)'] = Math.round((drainS - produceS) * 10) / 10;
        row.figures['commit latency p50 (ms, queued → committed, recorder histogram)'] = histogramQuantile(
          metrics,
          'friren_trade_commit_latency_seconds',
          0.5,
        );
        row.figures['commit latency p99 (ms, queued → committed, recorder histogram)'] = histogramQuantile(
          metrics,
          'friren_trade_commit_latency_seconds',
          0.99,
        );
        row.figures['reads/s'] = Math.round(reads.requests.average);
        row.figures['read latency p50 (ms)'] = reads.latency.p50;
        row.figures['read latency p99 (ms)'] = reads.latency.p99;
        row.figures['read errors / non-2xx'] = `${reads.errors} / ${reads.non2xx}`;
        row.figures['peak RSS (MiB)'] = Object.entries(rss)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        expect(Number(r.d)).toBe(sent);
        expect(Number(r.n)).toBe(sent);
        expect(reads.errors + reads.non2xx).toBe(0);
      },
    );
  }, 900_000);
});
