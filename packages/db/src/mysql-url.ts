import { z } from 'zod';

export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/friren';

export interface MysqlTarget {
  host: string;
  port: number;
  database: string;
}

/** `mysql://user[:password]@host[:port]/database[?mysql2-options]`; the database name is required. */
export const mysqlUrlSchema = z.string().refine(isMysqlUrlWithDatabase, {
  // No echo of the input: it may hold a password.
  message: 'must be a mysql:// URL naming a database, e.g. mysql://root@127.0.0.1:3306/friren',
});

function isMysqlUrlWithDatabase(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'mysql:' && url.hostname !== '' && databaseName(url) !== '';
}

/** Where a URL points, without credentials: safe to print. */
export function describeMysqlUrl(mysqlUrl: string): MysqlTarget {
  const url = new URL(mysqlUrl);
  return { host: url.hostname, port: url.port === '' ? 3306 : Number(url.port), database: databaseName(url) };
}

/** The URL's database name, decoded the way mysql2 decodes it. */
export function databaseFromUrl(mysqlUrl: string): string {
  return databaseName(new URL(mysqlUrl));
}

/** The same server and credentials with no default database (to create or drop one). */
export function serverUrl(mysqlUrl: string): string {
  const url = new URL(mysqlUrl);
  url.pathname = '/';
  return url.toString();
}

function databaseName(url: URL): string {
  try {
    return decodeURIComponent(url.pathname.slice(1));
  } catch {
    return '';
  }
}
