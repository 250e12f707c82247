import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { enqueueRecompute } from '@friren/analytics';
import { QUEUES, redisKeys } from '@friren/contracts';
import { listPerformanceMetrics } from '@friren/db';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import {
  alpacaHistory,
  createTestLedger,
  deletePrefix,
  insertLedger,
  ledgerTrades,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type TestLedger,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
const keys = redisKeys(prefix);
let ledger: TestLedger;
let redis: Redis;

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  await redis.set(keys.history('solo'), alpacaHistory('2024-01-02', 8));
  await insertLedger(ledger.database, ledgerTrades('solo', 900, { seed: 21 }));
});

afterAll(async () => {
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL,
    MYSQL_URL: ledger.url,
    FRIREN_PREFIX: prefix,
    FRIREN_ACCOUNTS: 'solo',
    ANALYTICS_SETTLE_MS: '0',
    ...extra,
  };
}

describe('analytics processes', () => {
  it('main: starts, serves /readyz, recomputes queued accounts and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const app = spawnApp('analytics', env({ OPS_PORT: String(port) }));
    const queue = new Queue(QUEUES.analytics, { connection: redis, prefix });
    try {
      await app.waitFor(/analytics started/);
      await waitUntil(
        async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200,
        15_000,
        100,
      );
      await enqueueRecompute(queue, ['solo']);
      const count = await waitUntil(() => redis.hget(keys.performance('solo'), 'trades_count'), 15_000);
      expect(count).toBe('900');
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/friren_pnl_total\{account="solo",scope="account"\} -?\d/);
      expect(await app.stop('SIGTERM')).toBe(0);
      expect(app.output()).toMatch(/shutdown finished/);
    } finally {
      await queue.close();
      await app.stop('SIGKILL');
    }
  });

  it('rebuild: refolds the ledger with a progress bar and gives the worker’s figures', async () => {
    const before = (await listPerformanceMetrics(ledger.database.db, 'solo')).map(({ as_of: _, ...r }) => r);
    expect(before.length).toBeGreaterThan(1);
    const child = spawn(
      process.execPath,
      [
        '--conditions=@friren/source',
        '--import',
        'tsx',
        'apps/analytics/src/rebuild.ts',
        '--account',
        'solo',
      ],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env(), LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stderr).toMatch(/solo \[#{30}\] 100% 900\/900/);
    expect(stdout).toMatch(/^solo: 900 trades \(cursor \d+\), realized -?[\d.]+/m);
    const after = (await listPerformanceMetrics(ledger.database.db, 'solo')).map(({ as_of: _, ...r }) => r);
    expect(after).toEqual(before);
  });
});
