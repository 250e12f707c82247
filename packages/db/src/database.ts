import { Kysely, MysqlDialect } from 'kysely';
import { createPool, format, type Pool, type PoolOptions } from 'mysql2';
import type { DB } from './schema.js';

export interface Database {
  readonly db: Kysely<DB>;
  /** The underlying mysql2 pool (callback API), for the rare query Kysely cannot express. */
  readonly pool: Pool;
  /** Ends the pool; safe to call twice. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/**
 * How every connection reads and writes values. Chosen so nothing exact passes through a float or a
 * JS Date: DECIMAL and BIGINT arrive as strings, DATETIME(6) as `'YYYY-MM-DD HH:MM:SS.ffffff'`
 * (see datetime.ts), JSON as text on MySQL 8 as on MariaDB.
 */
export const POOL_VALUE_OPTIONS = {
  charset: 'utf8mb4_unicode_ci',
  timezone: 'Z',
  dateStrings: true,
  decimalNumbers: false,
  supportBigNumbers: true,
  bigNumberStrings: true,
  jsonStrings: true,
  /**
   * mysql2's own formatting (same escaper, same arguments), except that a statement without
   * parameters is sent as it is: by default it is still scanned for `?` from end to end, which for
   * the recorder's prebuilt 500-row INSERTs (see trade-insert-sql.ts) cost more than building them.
   */
  queryFormat(sql: string, values: unknown): string {
    if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
    return format(sql, values as Parameters<typeof format>[1], false, POOL_VALUE_OPTIONS.timezone);
  },
} as const satisfies PoolOptions;

export function createDb(mysqlUrl: string, opts: CreateDbOptions = {}): Database {
  const pool = createPool({
    uri: mysqlUrl,
    ...POOL_VALUE_OPTIONS,
    connectionLimit: opts.poolSize ?? 10,
    waitForConnections: true,
  });
  // Session time zone UTC, so CURRENT_TIMESTAMP(6) defaults (recorded_at, received_at) are UTC like
  // every value we write. Queued before anything else runs on the new connection.
  pool.on('connection', (conn) => {
    conn.query("SET time_zone = '+00:00'", (err) => {
      // A connection that cannot even set its time zone is broken; the next query on it fails loudly.
      if (err) conn.destroy();
    });
  });
  const db = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) });
  let closing: Promise<void> | undefined;
  return {
    db,
    pool,
    close() {
      // We own the pool and may have used it outside Kysely, so we end it ourselves rather than via
      // db.destroy() (which ends it only if Kysely ever used it).
      closing ??= new Promise<void>((resolve, reject) => pool.end((err) => (err ? reject(err) : resolve())));
      return closing;
    },
  };
}
