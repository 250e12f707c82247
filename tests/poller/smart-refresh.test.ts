import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { redisKeys } from '@friren/contracts';
import type { Poller } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll,
  deletePrefix,
  newRedis,
  pollerConfig,
  sleep,
  startPollers,
  testPrefix,
  waitForValue,
} from './support.js';

const MIN_INTERVAL_MS = 400;

const prefix = testPrefix('poller-refresh');
const keys = redisKeys(prefix);
let sim: AlpacaSim;
let redis: Redis;
let pollers: Poller[] = [];

beforeAll(async () => {
  sim = createAlpacaSim();
  await sim.listen(0);
  redis = newRedis();
  // A 30 s cadence: every fetch after the first one below is on demand.
  const config = pollerConfig(prefix, sim.url!, {
    FRIREN_ACCOUNTS: 'main',
    SNAPSHOT_REFRESH_MS: '30000',
    SNAPSHOT_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
  });
  pollers = await startPollers(2, config);
});

afterAll(async () => {
  await closeAll(pollers);
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

const accountCalls = () => sim.callLog().filter((c) => c.endpoint === 'account');

describe('smart refresh', () => {
  it('a message on the refresh channel makes the leader fetch within 1 s; bursts coalesce', async () => {
    await waitForValue(async () => (await redis.hget(keys.lastGood('main'), 'version')) === '1', 10_000);
    await sleep(MIN_INTERVAL_MS);

    // A fill was recorded: buying power must reflect it in seconds, not at the next 30 s poll.
    sim.setAccount('sim-key', { cash: '99000' });
    const askedAt = Date.now();
    await redis.publish(keys.refreshChannel('main'), 'fill');
    const fresh = await waitForValue(async () => {
      const h = await redis.hgetall(keys.snapshot('main'));
      return h['version'] === '2' ? h : null;
    }, 1_000);
    expect(Date.now() - askedAt).toBeLessThan(1_000);
    expect(fresh['cash']).toBe('99000');
    expect(accountCalls()).toHaveLength(2);

    // A burst of 50 requests right after a fetch: one more fetch, after the minimum spacing.
    const burstAt = Date.now();
    const burst = redis.pipeline();
    for (let i = 0; i < 50; i += 1) burst.publish(keys.refreshChannel('main'), 'crisis');
    await burst.exec();
    await sleep(MIN_INTERVAL_MS + 600);
    const calls = accountCalls();
    expect(calls).toHaveLength(3);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(MIN_INTERVAL_MS - 5);
    expect(calls[2]!.at).toBeGreaterThanOrEqual(burstAt);
    expect(await redis.hget(keys.snapshot('main'), 'version')).toBe('3');
  });
});
