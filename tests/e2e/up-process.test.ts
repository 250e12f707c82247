import { redisKeys } from '@friren/contracts';
import { countTrades, createDb } from '@friren/db';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { deletePrefix, eventually, getJson, REDIS_URL, randomSuffix, testDatabase } from './support.js';

/**
 * `friren up --demo` as an operator runs it: one child process (apps/cli/src/main.ts with the
 * command line `up --demo --demo-rate 20`), its printed URLs, and Ctrl-C (SIGINT) shutting all of it down cleanly with nothing lost.
 */
const ALIAS = 'proc';
const prefix = `friren-test-e2e-proc-${randomSuffix()}`;
const database = testDatabase();
const redis = new Redis(REDIS_URL);
let app: SpawnedApp | undefined;

afterAll(async () => {
  await app?.stop('SIGKILL');
  await deletePrefix(redis, prefix);
  await redis.quit();
  await database.drop();
});

/** The URL printed after `label` in the startup banner. */
function printed(output: string, label: string): string {
  const m = new RegExp(`^ +${label} +(http://\\S+)`, 'm').exec(output);
  if (!m?.[1]) throw new Error(`no "${label}" URL in the banner:\n${output.slice(-3000)}`);
  return m[1];
}

describe('friren up --demo in its own process', () => {
  it('prints working URLs, trades, and on SIGINT stops everything with every fill recorded', async () => {
    app = spawnApp(
      'cli',
      {
        REDIS_URL,
        MYSQL_URL: database.url,
        FRIREN_PREFIX: prefix,
        FRIREN_ACCOUNTS: ALIAS,
        SNAPSHOT_REFRESH_MS: '500',
        SNAPSHOT_MIN_INTERVAL_MS: '200',
        SNAPSHOT_TTL_MS: '2000',
        HTTP_PORT: String(await freePort()),
        OPS_PORT: '0',
        ANALYTICS_SETTLE_MS: '100',
        LOG_LEVEL: 'warn',
      },
      ['up', '--demo', '--demo-rate', '20'],
    );
    await app.waitFor(/^Try: pnpm friren report/, 60_000);
    const output = app.output();
    expect(output).toContain('NO BROKER KEYS: running against the built-in Alpaca SIMULATOR');
    expect(output).toMatch(
      /✓ migrate database friren_test_\w+ .*created the database, applied \d+ migration/,
    );

    const viewUrl = printed(output, 'account view');
    expect(viewUrl).toMatch(new RegExp(`/v1/accounts/${ALIAS}$`));
    const view = await eventually(
      async () => {
        const r = await getJson<{ snapshot: { source: string } | null }>(viewUrl);
        return r.status === 200 ? r.body : null;
      },
      15_000,
      100,
    );
    expect(view.snapshot?.source).toBe('simulator');

    // Every ops server answers with its app's metrics.
    const expected = {
      poller: 'friren_broker_requests_total',
      'trade-recorder': 'friren_trades_recorded_total',
      analytics: 'friren_pnl_total',
      orchestrator: 'friren_cache_reads_total',
    };
    for (const [name, metric] of Object.entries(expected)) {
      const res = await fetch(printed(output, `${name} metrics`));
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(metric);
    }

    const db = createDb(database.url, { poolSize: 1 });
    try {
      await waitUntil(async () => (await countTrades(db.db, ALIAS)) >= 20, 20_000, 100);
      expect(await redis.exists(redisKeys(prefix).pollerLease(ALIAS))).toBe(1);

      expect(await app.stop('SIGINT')).toBe(0);
      const tail = app.output();
      const m = /^demo: (\d+) fills submitted/m.exec(tail);
      expect(m).not.toBeNull();
      // The recorder drained its batch before the process exited: nothing acknowledged was lost.
      expect(await countTrades(db.db, ALIAS)).toBe(Number(m![1]));
      // The poller gave up its lease, so another instance could lead at once.
      expect(await redis.exists(redisKeys(prefix).pollerLease(ALIAS))).toBe(0);
      await expect(fetch(viewUrl)).rejects.toThrow();
    } finally {
      await db.close();
    }
  }, 120_000);
});
