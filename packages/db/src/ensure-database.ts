import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { createConnection } from 'mysql2/promise';
import { databaseFromUrl, serverUrl } from './mysql-url.js';

/** MySQL's "access denied to database" (ER_DBACCESS_DENIED_ERROR). */
const DB_ACCESS_DENIED = 1044;

/**
 * Creates the database the URL names if it does not exist, connecting to the server without one.
 * Returns whether it had to create it. A database that exists is not created again, so a user
 * without the CREATE privilege (the usual grant for an application) can still migrate it; when
 * the database is missing and the user may not create it, the error names the privilege.
 */
export async function ensureDatabase(mysqlUrl: string): Promise<{ created: boolean }> {
  const name = databaseFromUrl(mysqlUrl);
  if (name === '' || name.length > 64 || name.includes('\0')) {
    throw new RangeError('the MySQL URL must name a database of 1-64 characters');
  }
  const conn = await createConnection({ uri: serverUrl(mysqlUrl), charset: 'utf8mb4_unicode_ci' });
  try {
    // A user sees in SCHEMATA the databases it holds some privilege on: enough to use one.
    const [found] = await conn.query<RowDataPacket[]>(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [name],
    );
    if (found.length > 0) return { created: false };
    try {
      const [result] = await conn.query<ResultSetHeader>(
        `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      // 1 row affected when created; 0 (with a warning) when it was already there.
      return { created: result.affectedRows > 0 };
    } catch (error) {
      if ((error as { errno?: unknown }).errno !== DB_ACCESS_DENIED) throw error;
      throw new Error(
        `database ${quoteIdentifier(name)} does not exist (or this user holds no privilege on it) and ` +
          'this user lacks the CREATE privilege to create it: create it as an administrator ' +
          `(CREATE DATABASE ${quoteIdentifier(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci) and grant ` +
          `SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX ON ${quoteIdentifier(name)}.* to this user ` +
          `(${(error as Error).message})`,
        { cause: error },
      );
    }
  } finally {
    await conn.end();
  }
}

/** Backtick-quotes a name whole (a dot stays part of the name), doubling any backtick inside. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}
