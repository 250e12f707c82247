import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LockedRedis, startLockedRedis } from '../support/locked-redis.js';
import { type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { deletePrefix, REDIS_URL, randomSuffix } from './support.js';

/**
 * Each app's main as production runs it: the same start, configuration errors and shutdown for
 * all four, and no credential printed on any path.
 */
const APPS = ['poller', 'trade-recorder', 'analytics', 'orchestrator'] as const;
const prefix = `friren-test-procs-${randomSuffix()}`;
// A database nobody creates: the recorder and analytics start and wait for their tables.
const MYSQL_URL = `mysql://root@127.0.0.1:3306/friren_test_absent_${randomSuffix()}`;
const base = { MYSQL_URL, FRIREN_PREFIX: prefix, OPS_PORT: '0', HTTP_PORT: '0' };

const running: SpawnedApp[] = [];
function spawn(app: string, env: Record<string, string>): SpawnedApp {
  const child = spawnApp(app, env);
  running.push(child);
  return child;
}

afterAll(async () => {
  await Promise.all(running.map((a) => a.stop('SIGKILL')));
  const redis = new Redis(REDIS_URL);
  await deletePrefix(redis, prefix);
  await redis.quit();
});

describe('a bad app setting', () => {
  it.each([
    ['poller', 'POLLER_AUTH_PROBE_MS', 'abc', 'must be a whole number'],
    ['trade-recorder', 'RECORDER_BATCH_SIZE', 'abc', 'must be a whole number'],
    ['analytics', 'ANALYTICS_CONCURRENCY', 'abc', 'must be a whole number'],
    ['orchestrator', 'FRIREN_RISK_DAILY_LOSS_LIMIT', 'lots', 'must be a decimal number'],
    ['orchestrator', 'FRIREN_QUEUE_DASHBOARD_WRITE', 'yes', 'must be "true" or "false"'],
  ])(
    '%s: %s=%s stops the start with one line naming it, exit 1, no stack',
    async (app, variable, value, why) => {
      const child = spawn(app, { ...base, REDIS_URL, [variable]: value });
      expect(await child.exited).toBe(1);
      const output = child.output();
      expect(output).toBe(`${app}: invalid configuration: ${variable}: ${why}\n`);
      expect(output).not.toContain(value === 'abc' ? '=abc' : value);
    },
  );

  it('all bad variables of one app come in the same line', async () => {
    const child = spawn('trade-recorder', {
      ...base,
      REDIS_URL,
      LOG_LEVEL: 'loud',
      RECORDER_BATCH_SIZE: 'abc',
    });
    expect(await child.exited).toBe(1);
    expect(child.output()).toBe(
      'trade-recorder: invalid configuration: LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent; RECORDER_BATCH_SIZE: must be a whole number\n',
    );
  });
});

describe('SNAPSHOT_REFRESH_MS=1000 and nothing else about timing', () => {
  it.each(APPS)('%s starts (the spacing floor defaults within the refresh) and stops with 0', async (app) => {
    const child = spawn(app, { ...base, REDIS_URL, SNAPSHOT_REFRESH_MS: '1000' });
    await child.waitFor(new RegExp(`"msg":"${app} started"`), 30_000);
    expect(await child.stop('SIGTERM')).toBe(0);
  });

  it('only the poller checks the poller’s timing relations', async () => {
    const env = { ...base, REDIS_URL, SNAPSHOT_REFRESH_MS: '1000', SNAPSHOT_MIN_INTERVAL_MS: '5000' };
    const poller = spawn('poller', env);
    expect(await poller.exited).toBe(1);
    expect(poller.output()).toBe(
      'poller: invalid configuration: SNAPSHOT_MIN_INTERVAL_MS: must not exceed SNAPSHOT_REFRESH_MS\n',
    );
    const orchestrator = spawn('orchestrator', env);
    await orchestrator.waitFor(/"msg":"orchestrator started"/, 30_000);
    expect(await orchestrator.stop('SIGTERM')).toBe(0);
  });
});

describe('wrong Redis credentials', () => {
  const PASSWORD = 'wrongpw999';
  const ACL_PASSWORD = 'aclwrong777';
  const FILE_PASSWORD = 'filewrong4242';
  let locked: LockedRedis;
  let dir: string;

  beforeAll(async () => {
    locked = await startLockedRedis('rightpw123', 'frirenacl', 'aclright77');
    dir = mkdtempSync(join(tmpdir(), 'friren-procs-'));
  });
  afterAll(async () => {
    await locked?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(APPS)(
    '%s prints none of them, whether the password is plain, an ACL user’s or in a file',
    async (app) => {
      const urlFile = join(dir, `${app}-redis-url`);
      writeFileSync(urlFile, `redis://:${FILE_PASSWORD}@127.0.0.1:${locked.port}\n`);
      const children = [
        spawn(app, { ...base, REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${locked.port}` }),
        spawn(app, {
          ...base,
          REDIS_URL: `redis://${locked.aclUser}:${ACL_PASSWORD}@127.0.0.1:${locked.port}`,
        }),
        spawn(app, { ...base, REDIS_URL_FILE: urlFile }),
      ];
      for (const child of children) {
        // Redis has refused the credentials, in a log line or in the error that stopped the start.
        await child.waitFor(/WRONGPASS/, 30_000);
        await child.stop('SIGTERM');
        const output = child.output();
        for (const secret of [PASSWORD, ACL_PASSWORD, FILE_PASSWORD]) expect(output).not.toContain(secret);
        // Whatever went wrong went through the logger, never Node's own printer.
        expect(output).not.toMatch(/^\s+at /m);
        expect(output).not.toContain('command: {');
      }
    },
    60_000,
  );
});
