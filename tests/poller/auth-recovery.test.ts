import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiKeyHash } from '@friren/alpaca';
import { type AlpacaSim, createAlpacaSim } from '@friren/alpaca-sim';
import { redisKeys } from '@friren/contracts';
import { Registry } from '@friren/observability';
import type { Poller, PollerTuning } from '@friren/poller';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll,
  deletePrefix,
  newRedis,
  pollerConfig,
  pollerEnv,
  sleep,
  startPollers,
  testPrefix,
  waitForValue,
} from './support.js';

/**
 * A broker 401 without a restart: a rotated credential file is picked up and tried at once; with
 * unchanged credentials the account stays auth-failed and only probes, sparsely, with a doubling wait.
 */
const REFRESH_MS = 200;
const prefix = testPrefix('poller-auth');
const keys = redisKeys(prefix);
const dir = mkdtempSync(join(tmpdir(), 'friren-poller-auth-'));
let sim: AlpacaSim;
let redis: Redis;
let running: Poller[] = [];

beforeAll(async () => {
  sim = createAlpacaSim({
    accounts: [
      { keyId: 'PKROTATE1', secretKey: 'rotate-secret-1', cash: '1000' },
      { keyId: 'PKPROBE', secretKey: 'probe-secret', cash: '2000' },
      { keyId: 'PKSPARSE', secretKey: 'sparse-secret', cash: '3000' },
    ],
  });
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
  rmSync(dir, { recursive: true, force: true });
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

const cadence = (alias: string) => ({
  FRIREN_ACCOUNTS: alias,
  SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
  SNAPSHOT_MIN_INTERVAL_MS: '100',
  SNAPSHOT_TTL_MS: '2000',
});

/** Two replicas on `alias` with plain-variable credentials; resolves once a snapshot is written. */
async function startWithKey(alias: string, keyId: string, secret: string, tuning: Partial<PollerTuning>) {
  const config = pollerConfig(prefix, sim.url!, {
    ...cadence(alias),
    ALPACA_KEY_ID: keyId,
    ALPACA_SECRET_KEY: secret,
  });
  running = await startPollers(2, config, tuning);
  await waitForValue(async () => (await redis.hget(keys.lastGood(alias), 'version')) !== null, 10_000);
}

const status = (alias: string) => redis.hgetall(keys.poller(alias));
const callsOf = (keyId: string, after: number) =>
  sim.callLog().filter((c) => c.keyId === keyId && c.at > after);
const awaitState = (alias: string, state: string, timeoutMs = 10_000) =>
  waitForValue(async () => {
    const st = await status(alias);
    return st['state'] === state ? st : null;
  }, timeoutMs);

describe('poller: broker 401 without a restart', () => {
  it('401 after the key is revoked; the rotated secret file is picked up and polling resumes', async () => {
    const alias = 'acct-rotate';
    const keyFile = join(dir, 'key-id');
    const secretFile = join(dir, 'secret');
    writeFileSync(keyFile, 'PKROTATE1\n');
    writeFileSync(secretFile, 'rotate-secret-1\n');
    const env = pollerEnv(prefix, sim.url!, {
      ...cadence(alias),
      ALPACA_KEY_ID_FILE: keyFile,
      ALPACA_SECRET_KEY_FILE: secretFile,
    });
    const config = pollerConfig(prefix, sim.url!, env as Record<string, string>);
    const registries = [new Registry(), new Registry()];
    // The default probe wait (60 s) is far beyond this test: only the new file can bring recovery.
    running = await startPollers(2, config, { credentialReloadMs: 200 }, registries, env);
    const instances = running.map((p) => p.instanceId);
    const first = await waitForValue(async () => {
      const h = await redis.hgetall(keys.lastGood(alias));
      return h['version'] ? h : null;
    });

    // The operator rotates the key at the broker: the old one is refused from now on.
    sim.addKey('PKROTATE1', { keyId: 'PKROTATE2', secretKey: 'rotate-secret-2' });
    sim.revokeKey('PKROTATE1');
    const refused = await waitForValue(
      () => sim.callLog().find((c) => c.keyId === 'PKROTATE1' && c.status === 401),
      5_000,
    );
    expect((await awaitState(alias, 'auth-failed'))['last_error']).toBe('auth');
    await sleep(5 * REFRESH_MS);
    expect(callsOf('PKROTATE1', refused.at)).toHaveLength(0);

    // ... and the secret mount is rewritten, key file first, as a non-atomic update would.
    const rotatedAt = Date.now();
    writeFileSync(keyFile, 'PKROTATE2\n');
    writeFileSync(secretFile, 'rotate-secret-2\n');
    const healed = await awaitState(alias, 'ok', 5_000);
    const recoveryMs = Date.now() - rotatedAt;
    expect(recoveryMs).toBeLessThan(3_000);
    expect(healed['consecutive_failures']).toBe('0');
    expect(healed['healthy']).toBe('true');

    const after = await waitForValue(async () => {
      const h = await redis.hgetall(keys.lastGood(alias));
      return Number(h['version']) > Number(first['version']) ? h : null;
    });
    // The same broker account, reached with the new key, by the same processes.
    expect(after['broker_account_id']).toBe(first['broker_account_id']);
    expect(callsOf('PKROTATE2', rotatedAt).some((c) => c.status === 200)).toBe(true);
    expect(callsOf('PKROTATE1', refused.at)).toHaveLength(0);
    expect(running.map((p) => p.instanceId)).toEqual(instances);

    // The new key is counted against its own shared limit, and the old key's gauge series is gone.
    expect(await redis.exists(keys.rateLimit(apiKeyHash('PKROTATE2')))).toBe(1);
    const leaderRegistry = registries[running.findIndex((p) => p.isLeader(alias))]!;
    const tokens = await leaderRegistry.getSingleMetricAsString('friren_broker_rate_limit_tokens');
    expect(tokens).toContain(`key="${apiKeyHash('PKROTATE2')}"`);
    expect(tokens).not.toContain(`key="${apiKeyHash('PKROTATE1')}"`);
  });

  it('401 from a broker glitch: once it clears, the next probe resumes polling', async () => {
    const alias = 'acct-probe';
    await startWithKey(alias, 'PKPROBE', 'probe-secret', { authProbeMs: 600, authProbeMaxMs: 1_200 });
    const fault = sim.setFault({ kind: 'unauthorized', keyId: 'PKPROBE' });
    const refused = await waitForValue(
      () => sim.callLog().find((c) => c.keyId === 'PKPROBE' && c.status === 401),
      5_000,
    );
    expect((await awaitState(alias, 'auth-failed'))['healthy']).toBe('false');
    // Let at least one probe be refused too (600 ms, then 1.2 s).
    await waitForValue(() => callsOf('PKPROBE', refused.at).some((c) => c.status === 401), 5_000);

    sim.clearFaults(fault);
    const clearedAt = Date.now();
    const healed = await awaitState(alias, 'ok', 5_000);
    // Recovered by the next probe: at most the longest wait (1.2 s) after the fault cleared.
    expect(Date.now() - clearedAt).toBeLessThan(1_200 + 1_000);
    expect(healed['consecutive_failures']).toBe('0');
    expect(healed['last_error']).toBe('auth');
    const resumed = callsOf('PKPROBE', clearedAt).filter((c) => c.endpoint === 'account');
    // Back on the regular cadence: several calls in the next few intervals.
    await sleep(5 * REFRESH_MS);
    expect(callsOf('PKPROBE', clearedAt).filter((c) => c.endpoint === 'account').length).toBeGreaterThan(
      resumed.length,
    );
  });

  it('while auth-failed, no broker call before the probe is due; each refused probe doubles the wait', async () => {
    const alias = 'acct-sparse';
    const probeMs = 1_000;
    await startWithKey(alias, 'PKSPARSE', 'sparse-secret', { authProbeMs: probeMs, authProbeMaxMs: 60_000 });
    sim.setFault({ kind: 'unauthorized', keyId: 'PKSPARSE' });
    const refused = await waitForValue(
      () => sim.callLog().find((c) => c.keyId === 'PKSPARSE' && c.status === 401),
      5_000,
    );
    await awaitState(alias, 'auth-failed');
    // Refresh requests (a crisis, a fill) do not make it call early either.
    for (let i = 0; i < 5; i += 1) {
      await redis.publish(keys.refreshChannel(alias), 'now');
      await sleep(150);
    }
    expect(callsOf('PKSPARSE', refused.at).filter((c) => c.at < refused.at + probeMs - 10)).toHaveLength(0);

    // Probes at ~1 s and ~1 + 2 s after the refusal; nothing else.
    await sleep(refused.at + 3 * probeMs + 600 - Date.now());
    const probes = callsOf('PKSPARSE', refused.at);
    expect(probes.map((c) => [c.endpoint, c.status])).toEqual([
      ['account', 401],
      ['account', 401],
    ]);
    expect(probes[0]!.at - refused.at).toBeGreaterThanOrEqual(probeMs - 10);
    expect(probes[1]!.at - probes[0]!.at).toBeGreaterThanOrEqual(2 * probeMs - 10);
    const st = await status(alias);
    expect(st['state']).toBe('auth-failed');
    expect(st['last_error']).toBe('auth');
    expect(Number(st['consecutive_failures'])).toBe(3);
  });
});
