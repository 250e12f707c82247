import {
  AccountRunner,
  type AnalyticsMetrics,
  createAnalyticsMetrics,
  enqueueRecompute,
  start,
} from '@friren/analytics';
import { QUEUES, redisKeys } from '@friren/contracts';
import { createDb, type Database, listAnalyticsStates, quoteIdentifier } from '@friren/db';
import { createLogger, createMetrics, type Logger, type Registry } from '@friren/observability';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  insertLedger,
  ledgerTrades,
  MYSQL_SERVER_URL,
  randomSuffix,
  recomputeContext,
  redisClient,
  silentLogger,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
const keys = redisKeys(prefix);
/** A MySQL user that may read the analytics tables but not write them: a missing grant. */
const READER = `friren_ro_${randomSuffix()}`;
let ledger: TestLedger;
let redis: Redis;
let readerDb: Database;
let readerUrl: string;

async function asRoot(statement: string): Promise<void> {
  const conn = await createConnection(MYSQL_SERVER_URL);
  try {
    await conn.query(statement);
  } finally {
    await conn.end();
  }
}

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  await asRoot(`CREATE USER '${READER}'@'%'`);
  await asRoot(`CREATE USER '${READER}'@'localhost'`);
  for (const host of ['%', 'localhost']) {
    await asRoot(`GRANT SELECT ON ${quoteIdentifier(ledger.name)}.* TO '${READER}'@'${host}'`);
  }
  const url = new URL(ledger.url);
  url.username = READER;
  readerUrl = url.toString();
  readerDb = createDb(readerUrl, { poolSize: 2 });
});

afterAll(async () => {
  await readerDb?.close();
  await asRoot(`DROP USER IF EXISTS '${READER}'@'%'`).catch(() => {});
  await asRoot(`DROP USER IF EXISTS '${READER}'@'localhost'`).catch(() => {});
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

function withMetrics(): { registry: Registry; metrics: AnalyticsMetrics } {
  const { registry } = createMetrics({ defaultMetrics: false });
  return { registry, metrics: createAnalyticsMetrics(registry) };
}

function capturingLogger(): { logger: Logger; records: () => Record<string, unknown>[] } {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'analytics-test',
    level: 'info',
    destination: { write: (line: string) => void lines.push(line) },
  });
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function sample(registry: Registry, name: string, account: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find((v) => v.labels['account'] === account)?.value;
}

async function revisionOf(account: string): Promise<number | undefined> {
  return (await listAnalyticsStates(ledger.database.db)).find((s) => s.account === account)?.revision;
}

describe('analytics failures are counted, shown and recovered from', () => {
  it('replaces a performance hash whose version is beyond the database revision, and says so', async () => {
    const { registry, metrics } = withMetrics();
    const { logger, records } = capturingLogger();
    const ctx = { ...recomputeContext({ database: ledger.database, redis, prefix }), metrics, logger };
    const runner = new AccountRunner(ctx, { verifyEveryMs: 600_000 });
    await insertLedger(ledger.database, ledgerTrades('rogue', 40));
    expect((await runner.run('rogue')).published).toBe(true);

    // A rogue writer (or corruption) leaves a version the ledger's revision never reached.
    await redis.hset(keys.performance('rogue'), 'version', '999999', 'trades_count', '1');
    await insertLedger(ledger.database, ledgerTrades('rogue', 10, { offset: 40 }));
    const result = await runner.run('rogue');
    expect(result.fills).toBe(50);
    expect(result.published).toBe(true);
    const hash = await redis.hgetall(keys.performance('rogue'));
    expect(hash['trades_count']).toBe('50');
    expect(Number(hash['version'])).toBe(await revisionOf('rogue'));
    expect(await sample(registry, 'friren_analytics_hash_ahead_total', 'rogue')).toBe(1);
    const logged = records().find((r) => String(r['msg']).includes('beyond the database revision'));
    expect(logged).toMatchObject({ level: 'error', account: 'rogue', hashVersion: 999999 });

    // Later runs publish normally again.
    await insertLedger(ledger.database, ledgerTrades('rogue', 5, { offset: 50 }));
    expect((await runner.run('rogue')).published).toBe(true);
    expect(await redis.hget(keys.performance('rogue'), 'trades_count')).toBe('55');
    expect(await sample(registry, 'friren_analytics_hash_ahead_total', 'rogue')).toBe(1);
  });

  it('replaces a hash ahead of the database only by the report of the latest revision', async () => {
    const ctx = recomputeContext({ database: ledger.database, redis, prefix });
    const runner = new AccountRunner(ctx, { verifyEveryMs: 600_000 });
    await insertLedger(ledger.database, ledgerTrades('order', 20));
    await runner.run('order');
    const revision = (await revisionOf('order'))!;
    // Another replica's newer run committed revision + 1 and wrote it first.
    await insertLedger(ledger.database, ledgerTrades('order', 5, { offset: 20 }));
    const other = recomputeContext({ database: ledger.database, redis, prefix });
    await new AccountRunner(other, { verifyEveryMs: 600_000 }).run('order');
    expect(await revisionOf('order')).toBe(revision + 1);
    await redis.hset(keys.performance('order'), 'version', String(revision + 5), 'trades_count', 'x');
    // Hash revision+5 > database revision+1: replaced by the run of the latest revision only.
    await insertLedger(ledger.database, ledgerTrades('order', 1, { offset: 25 }));
    const latest = await runner.run('order');
    expect(latest.revision).toBe(revision + 2);
    expect(latest.published).toBe(true);
    expect(await redis.hget(keys.performance('order'), 'version')).toBe(String(revision + 2));
  });

  it('counts a recompute that fails before its transaction (a missing grant) and shows it until one succeeds', async () => {
    const { registry, metrics } = withMetrics();
    await insertLedger(ledger.database, ledgerTrades('grant', 30));
    const denied = new AccountRunner(
      { ...recomputeContext({ database: readerDb, redis, prefix }), metrics },
      { verifyEveryMs: 600_000 },
    );
    await expect(denied.run('grant')).rejects.toThrow(/denied/i);
    expect(await sample(registry, 'friren_analytics_recompute_failures_total', 'grant')).toBe(1);
    expect(await sample(registry, 'friren_analytics_recompute_failing', 'grant')).toBe(1);
    const check = denied.recomputeCheck();
    expect(check.ok).toBe(false);
    expect(check.detail).toMatch(/^latest recompute failed for grant: .*denied/i);

    // Once a recompute of the account succeeds, it is no longer shown as failing.
    const allowed = new AccountRunner(
      { ...recomputeContext({ database: ledger.database, redis, prefix }), metrics },
      { verifyEveryMs: 600_000 },
    );
    await allowed.run('grant');
    expect(await sample(registry, 'friren_analytics_recompute_failing', 'grant')).toBe(0);
    expect(await sample(registry, 'friren_analytics_recompute_failures_total', 'grant')).toBe(1);
    expect(allowed.recomputeCheck()).toEqual({ ok: true });
  });

  it('/readyz of the service says so when its recomputes fail', async () => {
    const registry = createMetrics({ defaultMetrics: false }).registry;
    const config = testConfig({ mysqlUrl: readerUrl, prefix, accounts: ['denied'] });
    await insertLedger(ledger.database, ledgerTrades('denied', 10));
    const service = await start(config, { logger: silentLogger, registry, settings: { settleMs: 0 } });
    const queue = new Queue(QUEUES.analytics, { connection: redis, prefix });
    try {
      await waitUntil(async () => (await service.readiness())['worker']?.ok === true, 15_000);
      await enqueueRecompute(queue, ['denied']);
      const report = await waitUntil(async () => {
        const r = await service.readiness();
        return r['recomputes']?.ok === false ? r : undefined;
      }, 15_000);
      expect(report?.['recomputes']?.detail).toMatch(/denied: .*denied/i);
      expect(await sample(registry, 'friren_analytics_recompute_failures_total', 'denied')).toBeGreaterThan(
        0,
      );
    } finally {
      await queue.close();
      await service.close();
    }
  });
});
