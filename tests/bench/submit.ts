/**
 * HTTP trade submission against the producer SDK, same machine, same run. Trades/s of
 *   (a) `@friren/client` `submitMany` in this process (the baseline), batches of 100 and 1,000;
 *   (b) `POST /v1/trades` to an orchestrator in its own process, batches of 100 and 1,000,
 * each request waiting for the previous one, as one engine would. Rounds alternate (a) and (b);
 * the queue is emptied between runs. Own Redis prefix, removed afterwards.
 *
 *   node --conditions=@friren/source --import tsx tests/bench/submit.ts
 *
 * Env: BENCH_TRADES (20000 per run), BENCH_ROUNDS (3).
 */
import { randomUUID } from 'node:crypto';
import { createTradeClient } from '@friren/client';
import { QUEUES, type TradeJobInput } from '@friren/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix } from '../support/shared-servers.js';
import { freePort, spawnApp } from '../support/spawn-app.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TRADES = Number(process.env['BENCH_TRADES'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const PREFIX = `bench-submit-${randomUUID().slice(0, 8)}`;
const ACCOUNT = 'bench';

let run = 0;
function trades(n: number): TradeJobInput[] {
  run += 1;
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, i) => ({
    trade_id: `r${run}-${i}`,
    account: ACCOUNT,
    symbol: 'AAPL',
    side: i % 2 === 0 ? 'buy' : 'sell',
    quantity: '10',
    price: '190.25',
    timestamp: at,
    strategy_used: 'momentum',
    finbert_sentiment: 0.4,
    confidence_score: 0.8,
  }));
}

function batches<T>(all: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < all.length; i += size) out.push(all.slice(i, i + size));
  return out;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const redis = new Redis(REDIS_URL);
const queue = new Queue(QUEUES.trades, { connection: redis, prefix: PREFIX });
const client = createTradeClient({ redisUrl: REDIS_URL, prefix: PREFIX, accounts: [ACCOUNT] });
const port = await freePort();
const orchestrator = spawnApp('orchestrator', {
  REDIS_URL,
  FRIREN_PREFIX: PREFIX,
  FRIREN_ACCOUNTS: ACCOUNT,
  HTTP_PORT: String(port),
  HTTP_HOST: '127.0.0.1',
  OPS_PORT: String(await freePort()),
  LOG_LEVEL: 'info',
});
const url = `http://127.0.0.1:${port}/v1/trades`;

async function sdk(size: number): Promise<number> {
  const parts = batches(trades(TRADES), size);
  const t0 = performance.now();
  for (const part of parts) {
    const results = await client.submitMany(part);
    if (results.some((r) => r.status !== 'queued')) throw new Error('sdk: a trade was not queued');
  }
  return TRADES / ((performance.now() - t0) / 1000);
}

async function http(size: number): Promise<number> {
  const parts = batches(trades(TRADES), size).map((p) => JSON.stringify(p));
  const t0 = performance.now();
  for (const body of parts) {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = (await res.json()) as { counts?: { queued: number } };
    if (res.status !== 202 || answer.counts?.queued === undefined)
      throw new Error(`http: answered ${res.status}`);
  }
  return TRADES / ((performance.now() - t0) / 1000);
}

try {
  await orchestrator.waitFor(/orchestrator started/, 30_000);
  // Warm-up: connections, JIT, the orchestrator's first requests.
  await sdk(1000);
  await http(1000);
  await queue.obliterate({ force: true });
  const figures: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of [100, 1000]) {
      for (const [name, fn] of [
        ['sdk', sdk],
        ['http', http],
      ] as const) {
        const rate = await fn(size);
        const key = `${name} ${size}`;
        figures[key] = [...(figures[key] ?? []), rate];
        await queue.obliterate({ force: true });
      }
    }
  }
  console.log(
    `${TRADES} trades per run, ${ROUNDS} rounds, load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    '| batch | SDK submitMany trades/s (median; runs) | HTTP POST /v1/trades trades/s (median; runs) | HTTP / SDK |',
  );
  console.log('| ---: | ---: | ---: | ---: |');
  for (const size of [100, 1000]) {
    const s = figures[`sdk ${size}`] ?? [];
    const h = figures[`http ${size}`] ?? [];
    const fmt = (xs: number[]) => `${Math.round(median(xs))} (${xs.map((x) => Math.round(x)).join(', ')})`;
    console.log(`| ${size} | ${fmt(s)} | ${fmt(h)} | ${(median(h) / median(s)).toFixed(2)} |`);
  }
} finally {
  await orchestrator.stop();
  await client.close();
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  await deletePrefix(redis, PREFIX);
  await redis.quit();
}
