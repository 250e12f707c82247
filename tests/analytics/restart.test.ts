import { type AnalyticsService, start } from '@friren/analytics';
import { redisKeys } from '@friren/contracts';
import { createMetrics } from '@friren/observability';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  insertLedger,
  ledgerTrades,
  randomSuffix,
  redisClient,
  silentLogger,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
const keys = redisKeys(prefix);
let ledger: TestLedger;
let redis: Redis;

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
});

afterAll(async () => {
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

function startService(): Promise<AnalyticsService> {
  return start(testConfig({ mysqlUrl: ledger.url, prefix, accounts: ['crash'] }), {
    logger: silentLogger,
    registry: createMetrics({ defaultMetrics: false }).registry,
    // The tick is a minute away: only catching up at start can fold the trades in time.
    settings: { settleMs: 0, tickEveryMs: 60_000 },
  });
}

const tradesCount = () => redis.hget(keys.performance('crash'), 'trades_count');

describe('analytics after a restart', () => {
  it('folds the trades recorded while it was down within seconds of its start', async () => {
    await insertLedger(ledger.database, ledgerTrades('crash', 30));
    const first = await startService();
    try {
      await first.runner.run('crash');
      expect(await tradesCount()).toBe('30');
    } finally {
      await first.close();
    }
    // Recorded while no analytics ran, and their recompute job lost with it.
    await insertLedger(ledger.database, ledgerTrades('crash', 20, { offset: 30 }));
    const started = performance.now();
    const second = await startService();
    try {
      await waitUntil(async () => (await tradesCount()) === '50', 10_000, 50);
      const seconds = (performance.now() - started) / 1000;
      expect(seconds).toBeLessThan(5);
    } finally {
      await second.close();
    }
  });
});
