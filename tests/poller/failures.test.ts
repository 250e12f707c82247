import { type AlpacaSim, createAlpacaSim, type SimFault } from '@friren/alpaca-sim';
import { redisKeys } from '@friren/contracts';
import type { Poller } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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

const REFRESH_MS = 200;
const TTL_MS = 600;
const TIMEOUT_MS = 300;

const prefix = testPrefix('poller-failures');
const keys = redisKeys(prefix);
let sim: AlpacaSim;
let redis: Redis;
let running: Poller[] = [];

beforeAll(async () => {
  sim = createAlpacaSim();
  await sim.listen(0);
  redis = newRedis();
});

afterEach(async () => {
  await closeAll(running);
  running = [];
  sim.clearFaults();
});

afterAll(async () => {
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

/** Two pollers on a fresh account alias; resolves once the first snapshot is written. */
async function startOn(alias: string): Promise<void> {
  const config = pollerConfig(prefix, sim.url!, {
    FRIREN_ACCOUNTS: alias,
    SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
    SNAPSHOT_MIN_INTERVAL_MS: '100',
    SNAPSHOT_TTL_MS: String(TTL_MS),
  });
  // Backoff capped at 2 intervals keeps recovery quick in a test.
  running = await startPollers(2, config, { requestTimeoutMs: TIMEOUT_MS, maxBackoffMs: 2 * REFRESH_MS });
  await waitForValue(async () => (await redis.hget(keys.lastGood(alias), 'version')) !== null, 10_000);
}

const status = (alias: string) => redis.hgetall(keys.poller(alias));
const callsSince = (t: number) => sim.callLog().filter((c) => c.at >= t);

describe('broker failures', () => {
  it.each([
    ['5xx', { kind: 'http_error', status: 503, endpoint: 'account' }, 'server'],
    ['timeouts', { kind: 'hang', endpoint: 'account' }, 'timeout'],
    ['bad JSON', { kind: 'malformed_json', endpoint: 'account' }, 'malformed'],
  ] as const)(
    '%s: last-good kept and labelled, live hash expires, unhealthy, then recovery',
    async (_name, fault, kind) => {
      const alias = `acct-${kind}`;
      await startOn(alias);
      sim.setFault(fault as SimFault);
      const failingSince = Date.now();
      const before = await redis.hgetall(keys.lastGood(alias));

      // Three consecutive failures mark the account unhealthy, naming the failure class.
      const s = await waitForValue(async () => {
        const st = await status(alias);
        return Number(st['consecutive_failures']) >= 3 ? st : null;
      }, 10_000);
      expect(s['last_error']).toBe(kind);
      expect(s['healthy']).toBe('false');
      expect(s['state']).toBe('unhealthy');
      expect(Number(s['last_error_at'])).toBeGreaterThanOrEqual(failingSince);
      expect(s['last_error_message']).toContain(kind);

      // The live hash and positions expire after the TTL; last-good stays exactly as it was.
      await waitForValue(async () => (await redis.exists(keys.snapshot(alias))) === 0, TTL_MS + 2_000);
      expect(await redis.exists(keys.positions(alias))).toBe(0);
      const during = await redis.hgetall(keys.lastGood(alias));
      expect(during).toEqual(before);

      // Backing off: never faster than the interval while failing.
      const failing = callsSince(failingSince).filter((c) => c.endpoint === 'account');
      for (let i = 1; i < failing.length; i += 1) {
        expect(failing[i]!.at - failing[i - 1]!.at).toBeGreaterThanOrEqual(REFRESH_MS - 5);
      }

      sim.clearFaults();
      const healed = await waitForValue(async () => {
        const st = await status(alias);
        return st['consecutive_failures'] === '0' ? st : null;
      }, 10_000);
      expect(healed['healthy']).toBe('true');
      expect(healed['state']).toBe('ok');
      // The last error stays on record; the live hash is back with the next version.
      expect(healed['last_error']).toBe(kind);
      const live = await waitForValue(async () => {
        const h = await redis.hgetall(keys.snapshot(alias));
        return h['version'] ? h : null;
      });
      expect(Number(live['version'])).toBeGreaterThan(Number(before['version']));
    },
  );

  it('429: no call before the reset time the broker gave', async () => {
    const alias = 'acct-429';
    await startOn(alias);
    sim.setFault({ kind: 'rate_limited', retryAfterSec: 2, endpoint: 'account', count: 1 });
    const limited = await waitForValue(() => sim.callLog().find((c) => c.status === 429), 5_000);
    await sleep(2_500);
    const after = callsSince(limited.at + 1);
    expect(after.length).toBeGreaterThan(0);
    // Every later call (by any poller, to any endpoint of this key) waited for the reset.
    for (const call of after) expect(call.at).toBeGreaterThanOrEqual(limited.at + 2_000 - 10);
    const st = await status(alias);
    expect(st['last_error']).toBe('rate-limited');
    expect(Number(st['rate_limited_total'])).toBeGreaterThanOrEqual(1);
    expect(st['consecutive_failures']).toBe('0');
  });

  it('401: the account is not called again before the probe (60 s by default) is due', async () => {
    const alias = 'acct-401';
    await startOn(alias);
    sim.setFault({ kind: 'unauthorized' });
    const refused = await waitForValue(() => sim.callLog().find((c) => c.status === 401), 5_000);
    // Ten intervals more, and not one call from either poller.
    await sleep(10 * REFRESH_MS);
    expect(callsSince(refused.at + 1)).toHaveLength(0);
    const st = await status(alias);
    expect(st['last_error']).toBe('auth');
    expect(st['state']).toBe('auth-failed');
    expect(st['healthy']).toBe('false');
    // Even a refresh request does not make it call.
    await redis.publish(keys.refreshChannel(alias), 'now');
    await sleep(3 * REFRESH_MS);
    expect(callsSince(refused.at + 1)).toHaveLength(0);
  });
});
