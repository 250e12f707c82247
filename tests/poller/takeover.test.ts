import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { redisKeys } from '@friren/contracts';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { deletePrefix, newRedis, REDIS_URL, sleep, testPrefix, waitForValue } from './support.js';

const REFRESH_MS = 300;
// What the poller derives for this interval: max(3 × refresh, 2 s).
const LEASE_MS = 2_000;

const prefix = testPrefix('poller-takeover');
const keys = redisKeys(prefix);
let sim: AlpacaSim;
let redis: Redis;
let apps: SpawnedApp[] = [];

beforeAll(async () => {
  sim = createAlpacaSim();
  await sim.listen(0);
  redis = newRedis();
  const env = {
    REDIS_URL,
    FRIREN_PREFIX: prefix,
    FRIREN_ACCOUNTS: 'main',
    ALPACA_BASE_URL: sim.url!,
    SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
    SNAPSHOT_MIN_INTERVAL_MS: '100',
    SNAPSHOT_TTL_MS: '5000',
    OPS_PORT: '0',
  };
  apps = [spawnApp('poller', env), spawnApp('poller', env), spawnApp('poller', env)];
  await Promise.all(apps.map((a) => a.waitFor(/poller started/, 30_000)));
}, 60_000);

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop('SIGKILL')));
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

/** The spawned app whose pid is in the status hash's `leader` (host:pid:random). */
async function currentLeader(): Promise<{ app: SpawnedApp; id: string } | null> {
  const id = await redis.hget(keys.poller('main'), 'leader');
  const pid = id?.split(':')[1];
  const app = apps.find(
    (a) => String(a.child.pid) === pid && a.child.exitCode === null && a.child.signalCode === null,
  );
  return app && id ? { app, id } : null;
}

const accountCalls = () => sim.callLog().filter((c) => c.endpoint === 'account');

describe('leader failover', () => {
  it('SIGKILL the leader: another replica takes over within the lease time', async () => {
    const first = await waitForValue(currentLeader, 10_000);
    await waitForValue(() => accountCalls().length >= 3, 10_000);

    await first.app.stop('SIGKILL');
    const killedAt = Date.now();
    const second = await waitForValue(async () => {
      const l = await currentLeader();
      return l && l.id !== first.id ? l : null;
    }, LEASE_MS + 2_000);
    expect(Date.now() - killedAt).toBeLessThanOrEqual(LEASE_MS + 500);

    // The new leader polls again, soon after taking over. Then it keeps polling,
    // alone: never more than one call per interval. (The lower bound is loose: three child
    // processes on a busy 2-core machine do not keep a 300 ms beat; cadence.test.ts checks it.)
    // (Generous: it is this child's first broker call, on a busy machine.)
    const resumed = await waitForValue(() => accountCalls().find((c) => c.at > killedAt), 3_000);
    expect(resumed.at - killedAt).toBeLessThanOrEqual(LEASE_MS + 3_000);
    const from = Date.now();
    await sleep(10 * REFRESH_MS);
    const steady = accountCalls().filter((c) => c.at >= from).length;
    expect(steady).toBeGreaterThanOrEqual(3);
    expect(steady).toBeLessThanOrEqual(11);
    expect(second.app.output()).toMatch(/became leader/);

    // A graceful stop releases the lease: the last replica takes over at once, not after expiry.
    const code = await second.app.stop('SIGTERM');
    expect(code).toBe(0);
    const stoppedAt = Date.now();
    const third = await waitForValue(async () => {
      const l = await currentLeader();
      return l && l.id !== second.id ? l : null;
    }, LEASE_MS + 2_000);
    expect(Date.now() - stoppedAt).toBeLessThan(LEASE_MS / 2);
    expect(second.app.output()).toMatch(/lease released/);
    expect(third.id).not.toBe(first.id);
  });
});
