import type { Database } from '@friren/db';

/** The tables the recorder writes; created by `pnpm migrate`, never by the recorder. */
export const REQUIRED_TABLES = ['trades', 'rejected_trades'] as const;

/** Runs one query on the pool (callback API, so no query builder is needed for a probe). */
export function poolQuery<T>(database: Database, sql: string, values: unknown[] = []): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    database.pool.query(sql, values, (error, rows) => (error ? reject(error) : resolve(rows as T)));
  });
}

/** The required tables missing from the database the URL names (empty: schema is there). */
export async function missingTables(database: Database): Promise<string[]> {
  const rows = await poolQuery<{ name: string }[]>(
    database,
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name IN (?)',
    [REQUIRED_TABLES],
  );
  const present = new Set(rows.map((r) => r.name));
  return REQUIRED_TABLES.filter((t) => !present.has(t));
}
