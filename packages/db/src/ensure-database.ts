import type { ResultSetHeader } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { databaseFromUrl, serverUrl } from './mysql-url.js';

/**
 * Creates the database the URL names if it does not exist, connecting to the server without one.
 * Returns whether it had to create it.
 */
export async function ensureDatabase(mysqlUrl: string): Promise<{ created: boolean }> {
  const name = databaseFromUrl(mysqlUrl);
  if (name === '' || name.length > 64 || name.includes('\0')) {
    throw new RangeError('the MySQL URL must name a database of 1-64 characters');
  }
  const conn = await createConnection({ uri: serverUrl(mysqlUrl), charset: 'utf8mb4_unicode_ci' });
  try {
    const [result] = await conn.query<ResultSetHeader>(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    // 1 row affected when created; 0 (with a warning) when it was already there.
    return { created: result.affectedRows > 0 };
  } finally {
    await conn.end();
  }
}

/** Backtick-quotes a name whole (a dot stays part of the name), doubling any backtick inside. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
