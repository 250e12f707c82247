import { apiKeyHash } from '@friren/alpaca';
import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { redisKeys } from '@friren/contracts';
import type { Poller } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll,
  deletePrefix,
  maxInWindow,
  newRedis,
  pollerConfig,
  sleep,
  startPollers,
  testPrefix,
} from './support.js';

const LIMIT = 30;
const WINDOW_MS = 60_000;
/** Calls "made" 52 s before the test starts, so the rolling window turns over 8 s into it. */
const EARLIER_CALLS = 20;
const EARLIER_BY_MS = 52_000;

const prefix = testPrefix('poller-ratelimit');
const keys = redisKeys(prefix);
const ACCOUNTS = ['alpha', 'beta', 'gamma'];
let sim: AlpacaSim;
let redis: Redis;
let pollers: Poller[] = [];

beforeAll(async () => {
  // The simulator allows more than our limit: any excess would be ours, not hidden by its 429s.
  sim = createAlpacaSim({ rateLimitPerMin: 1_000 });
  await sim.listen(0);
  redis = newRedis();
});

afterAll(async () => {
  await closeAll(pollers);
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

describe('shared rate limit', () => {
  it('10 pollers × 3 accounts on one key, refresh 10 ms: never more than the limit in any 60 s window', async () => {
    // Earlier calls on the same key, as another process would have left them in the window.
    const [seconds, micros] = await redis.time();
    const earlierAt = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - EARLIER_BY_MS;
    const windowKey = keys.rateLimit(apiKeyHash('sim-key'));
    const earlier = Array.from({ length: EARLIER_CALLS }, (_, i) => earlierAt + i);
    await redis.zadd(windowKey, ...earlier.flatMap((at, i) => [at, `earlier-${i}`]));
    // Redis and the simulator (Date.now()) read the same machine's clock.
    const localEarlier = earlier;

    const startedAt = Date.now();
    const config = pollerConfig(prefix, sim.url!, {
      FRIREN_ACCOUNTS: ACCOUNTS.join(','),
      ALPACA_RATE_LIMIT_PER_MIN: String(LIMIT),
      SNAPSHOT_REFRESH_MS: '10',
      SNAPSHOT_MIN_INTERVAL_MS: '10',
      SNAPSHOT_TTL_MS: '60000',
    });
    pollers = await startPollers(10, config);

    // Before the earlier calls leave the window (8 s in) only LIMIT - EARLIER_CALLS slots exist.
    await sleep(startedAt + 7_000 - Date.now());
    const beforeTurn = sim.callLog().length;
    expect(beforeTurn).toBeLessThanOrEqual(LIMIT - EARLIER_CALLS);
    expect(beforeTurn).toBeGreaterThanOrEqual(LIMIT - EARLIER_CALLS - 2);

    // After it, the slots they held are used again.
    await sleep(startedAt + 11_000 - Date.now());
    const calls = sim.callLog();
    expect(calls.length).toBeGreaterThan(beforeTurn);
    expect(calls.length).toBeLessThanOrEqual(LIMIT);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    // Counting the earlier calls too, no 60 s window holds more than the limit.
    expect(maxInWindow([...localEarlier, ...calls.map((c) => c.at)], WINDOW_MS)).toBeLessThanOrEqual(LIMIT);

    // Callers gave up rather than queue, and said so.
    const statuses = await Promise.all(ACCOUNTS.map((a) => redis.hgetall(keys.poller(a))));
    const rateLimited = statuses.reduce((n, s) => n + Number(s['rate_limited_total'] ?? 0), 0);
    expect(rateLimited).toBeGreaterThan(0);
    expect(statuses.some((s) => s['last_error'] === 'rate-limited')).toBe(true);
    // And the calls let through were put to use.
    const written = await Promise.all(ACCOUNTS.map((a) => redis.hget(keys.lastGood(a), 'version')));
    expect(written.reduce((n, v) => n + Number(v ?? 0), 0)).toBeGreaterThan(0);
  });
});
