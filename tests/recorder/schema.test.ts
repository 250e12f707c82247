import { createTradeClient } from '@friren/client';
import { countTrades, createDb, ensureDatabase, migrateToLatest, quoteIdentifier } from '@friren/db';
import type { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  deletePrefix,
  MYSQL_SERVER_URL,
  makeTrade,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type ServedRecorder,
  serveRecorder,
  testConfig,
} from './helpers.js';

const prefix = `test-rec-${randomSuffix()}`;
const name = `friren_test_${randomSuffix()}`;
const url = new URL(name, MYSQL_SERVER_URL).toString();
let redis: Redis;
let recorder: ServedRecorder;

beforeAll(async () => {
  await ensureDatabase(url); // created, but not migrated
  redis = redisClient();
});

afterAll(async () => {
  await recorder?.close();
  await deletePrefix(redis, prefix);
  await redis.quit();
  const conn = await createConnection(MYSQL_SERVER_URL);
  await conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
  await conn.end();
});

describe('trade recorder without its tables', () => {
  it('is not ready and says to migrate; starts consuming once the tables exist', async () => {
    recorder = await serveRecorder(testConfig({ mysqlUrl: url, prefix }));
    const client = createTradeClient({ redisUrl: REDIS_URL, prefix });
    await client.submit(makeTrade(1, 'early'));

    const res = await fetch(`${recorder.opsUrl}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.checks['schema']?.detail).toBe('missing tables trades, rejected_trades: run `pnpm migrate`');
    expect(body.checks['database']?.ok).toBe(true);

    const database = createDb(url, { poolSize: 1 });
    await migrateToLatest(database.db);
    await waitUntil(async () => (await fetch(`${recorder.opsUrl}/readyz`)).status === 200, 10_000, 100);
    // The trade queued while the ledger was missing was waiting, not lost.
    await waitUntil(async () => (await countTrades(database.db)) === 1, 10_000, 50);
    await database.close();
    await client.close();
  }, 30_000);
});
