/**
 * Broker calls per minute made by N pollers (replicas) for A accounts, against the ideal
 * (A × 60000 / interval) and the shared rate limit. Run from the repository root:
 *
 *   node --conditions=@friren/source --import tsx tests/bench/poller.ts
 *
 * Each replica is a full poller (`start()`) with its own Redis connections and instance id, in this
 * process; they coordinate only through Redis, exactly as separate processes do. The simulator's
 * own limit is set out of reach, so every call it counts was allowed by our limiter. Runs ~3 min.
 */
import { randomUUID } from 'node:crypto';
import { createAlpacaSim } from '@friren/alpaca-sim';
import { loadConfig } from '@friren/config';
import { createLogger } from '@friren/observability';
import { type Poller, start } from '@friren/poller';
import { Redis } from 'ioredis';
import { maxInWindow } from '../poller/support.js';
import { sleep } from '../support/wait.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const INTERVAL_MS = 500;
const WARMUP_MS = 2_000;
const MEASURE_MS = 12_000;
const LIMIT_PER_MIN = 1_500;

interface Scenario {
  readonly pollers: number;
  readonly accounts: number;
  readonly intervalMs: number;
  /** SNAPSHOT_MIN_INTERVAL_MS: the floor between two fetches of one account. */
  readonly minIntervalMs: number;
  readonly limitPerMin: number;
  readonly measureMs: number;
}

interface Result {
  readonly scenario: Scenario;
  /** Account fetches (GET /v2/account) per minute. */
  readonly fetchesPerMin: number;
  /** Every broker call (account, positions, history) per minute. */
  readonly callsPerMin: number;
  /** The most calls in any 60 s window (only meaningful for runs of 60 s or more). */
  readonly maxIn60s: number;
}

const logger = createLogger({ name: 'bench', level: 'silent' });

async function run(s: Scenario): Promise<Result> {
  const prefix = `bench-poller-${randomUUID().slice(0, 8)}`;
  const sim = createAlpacaSim({ rateLimitPerMin: 1_000_000 });
  const { url } = await sim.listen(0);
  const aliases = Array.from({ length: s.accounts }, (_, i) => `acct${i + 1}`);
  const config = loadConfig(
    {
      REDIS_URL,
      FRIREN_PREFIX: prefix,
      FRIREN_ACCOUNTS: aliases.join(','),
      ALPACA_BASE_URL: url,
      ALPACA_RATE_LIMIT_PER_MIN: String(s.limitPerMin),
      SNAPSHOT_REFRESH_MS: String(s.intervalMs),
      SNAPSHOT_MIN_INTERVAL_MS: String(s.minIntervalMs),
      SNAPSHOT_TTL_MS: String(Math.max(3 * s.intervalMs, 1_000)),
      LOG_LEVEL: 'silent',
    },
    { opsPort: 0 },
  );
  const pollers: Poller[] = [];
  for (let i = 0; i < s.pollers; i += 1) pollers.push(await start(config, { logger }));

  await sleep(WARMUP_MS);
  const from = Date.now();
  await sleep(s.measureMs);
  const to = Date.now();
  const log = sim.callLog();
  const inWindow = log.filter((c) => c.at >= from && c.at < to);
  const perMin = (n: number) => (n * 60_000) / (to - from);

  await Promise.all(pollers.map((p) => p.close()));
  await sim.close();
  await deletePrefix(prefix);
  return {
    scenario: s,
    fetchesPerMin: perMin(inWindow.filter((c) => c.endpoint === 'account').length),
    callsPerMin: perMin(inWindow.length),
    maxIn60s: maxInWindow(
      log.map((c) => c.at),
      60_000,
    ),
  };
}

async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
}

const fmt = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const scenarios: Scenario[] = [];
  for (const accounts of [1, 5]) {
    for (const pollers of [1, 3, 10]) {
      scenarios.push({
        pollers,
        accounts,
        intervalMs: INTERVAL_MS,
        minIntervalMs: 100,
        limitPerMin: LIMIT_PER_MIN,
        measureMs: MEASURE_MS,
      });
    }
  }
  // The floor equal to the interval: still one fetch per interval.
  for (const pollers of [1, 3]) {
    scenarios.push({
      pollers,
      accounts: 1,
      intervalMs: 1_000,
      minIntervalMs: 1_000,
      limitPerMin: LIMIT_PER_MIN,
      measureMs: MEASURE_MS,
    });
  }
  const results: Result[] = [];
  for (const scenario of scenarios) {
    results.push(await run(scenario));
    process.stdout.write(
      `measured ${scenario.pollers} poller(s) × ${scenario.accounts} account(s), ` +
        `interval ${scenario.intervalMs} ms, min ${scenario.minIntervalMs} ms\n`,
    );
  }

  console.log(`\nPoller broker calls per minute (measured over ${MEASURE_MS / 1000} s, scaled to 1 min)`);
  console.log(
    'ideal = accounts × 60000 / interval account fetches; each fetch is 2 broker calls (account + positions)\n',
  );
  console.log(
    '| pollers | accounts | interval / min interval | ideal fetches/min | fetches/min | vs ideal | broker calls/min | limit/min | within limit |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |');
  for (const r of results) {
    const ideal = (r.scenario.accounts * 60_000) / r.scenario.intervalMs;
    console.log(
      `| ${r.scenario.pollers} | ${r.scenario.accounts} | ${r.scenario.intervalMs} / ${r.scenario.minIntervalMs} ms | ` +
        `${fmt(ideal)} | ${fmt(r.fetchesPerMin)} | ` +
        `${fmt((100 * r.fetchesPerMin) / ideal)} % | ${fmt(r.callsPerMin)} | ${r.scenario.limitPerMin} | ` +
        `${r.callsPerMin <= r.scenario.limitPerMin ? 'yes' : 'NO'} |`,
    );
  }

  // The limit binding: demand 20× over it for just over a minute, then count every 60 s window.
  const limited = await run({
    pollers: 10,
    accounts: 5,
    intervalMs: 200,
    minIntervalMs: 100,
    limitPerMin: 150,
    measureMs: 63_000,
  });
  const demand = (5 * 60_000) / 200;
  console.log(
    `\nLimit binding: 10 pollers × 5 accounts, interval 200 ms (ideal ${demand} fetches/min = ${2 * demand} calls/min), ` +
      `limit 150/min → most broker calls in any 60 s window: ${limited.maxIn60s} ` +
      `(${limited.maxIn60s <= 150 ? 'never above the limit' : 'ABOVE THE LIMIT'})`,
  );
}

await main();
