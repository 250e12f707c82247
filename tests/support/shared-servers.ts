import { randomBytes } from 'node:crypto';
import { createDb, type Database, ensureDatabase, migrateToLatest, quoteIdentifier } from '@friren/db';
import type { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

/**
 * The shared Redis and MariaDB every suite talks to. Suites never flush or stop them: each uses
 * a key prefix and a database of its own, removed with the helpers below.
 */
export const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
export const MYSQL_SERVER_URL = process.env['MYSQL_TEST_URL'] ?? 'mysql://root@127.0.0.1:3306/';

export function randomSuffix(): string {
  return randomBytes(5).toString('hex');
}

/** Deletes every key under `prefix:` (SCAN, never FLUSH: other suites share this Redis). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

export async function dropDatabase(name: string, serverUrl = MYSQL_SERVER_URL): Promise<void> {
  const conn = await createConnection(serverUrl);
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
  } finally {
    await conn.end();
  }
}

/** A database name of the suite's own (`friren_test_<random>`), not yet created. */
export function testDatabase(serverUrl = MYSQL_SERVER_URL): {
  name: string;
  url: string;
  drop(): Promise<void>;
} {
  const name = `friren_test_${randomSuffix()}`;
  return { name, url: new URL(name, serverUrl).toString(), drop: () => dropDatabase(name, serverUrl) };
}

export interface TestLedger {
  readonly url: string;
  readonly name: string;
  readonly database: Database;
  drop(): Promise<void>;
}

/** A fresh, migrated database `friren_test_<random>` on `serverUrl`, dropped by `drop()`. */
export async function createTestLedger(serverUrl = MYSQL_SERVER_URL, poolSize = 3): Promise<TestLedger> {
  const { name, url } = testDatabase(serverUrl);
  await ensureDatabase(url);
  const database = createDb(url, { poolSize });
  await migrateToLatest(database.db);
  return {
    url,
    name,
    database,
    async drop() {
      await database.close();
      await dropDatabase(name, serverUrl);
    },
  };
}
