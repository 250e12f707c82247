import type { Database } from '@friren/db';

/** The tables the recorder writes; created by `pnpm migrate`, never by the recorder. */
export const REQUIRED_TABLES = ['trades', 'rejected_trades'] as const;

/** Runs one query on the pool (callback API, so no query builder is needed for a probe). */
export function poolQuery<T>(database: Database, sql: string, values: unknown[] = []): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    database.pool.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as T)));
  });
}
