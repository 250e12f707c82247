import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { createDb, type Database } from '../database.js';
import { ensureDatabase, quoteIdentifier } from '../ensure-database.js';
import { serverUrl } from '../mysql-url.js';

/** Test-only: a throw-away database on the shared server, dropped by `drop()`. */
export const TEST_SERVER_URL = process.env['MYSQL_TEST_URL'] ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDatabase extends Database {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export function testDatabaseUrl(): { name: string; url: string } {
  const name = `friren_test_${randomBytes(6).toString('hex')}`;
  return { name, url: new URL(name, serverUrl(TEST_SERVER_URL)).toString() };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { name, url } = testDatabaseUrl();
  await ensureDatabase(url);
  const database = createDb(url, { poolSize: 2 });
  return {
    ...database,
    name,
    url,
    async drop() {
      await database.close();
      await dropDatabase(url, name);
    },
  };
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  const conn = await createConnection(serverUrl(url));
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
  } finally {
    await conn.end();
  }
}
