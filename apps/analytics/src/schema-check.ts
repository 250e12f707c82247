import type { DB } from '@friren/db';
import { type Kysely, sql } from 'kysely';

/** What analytics reads and writes; created by `pnpm migrate`, never by the worker. */
export const REQUIRED_TABLES = [
  'trades',
  'analytics_state',
  'performance_metrics',
  'performance_daily',
  'equity_daily',
] as const;

/** The required tables missing from the database (empty: ready). */
export async function missingTables(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables
    WHERE table_schema = DATABASE() AND table_name IN (${sql.join([...REQUIRED_TABLES])})
  `.execute(db);
  const present = new Set(rows.map((r) => r.name));
  return REQUIRED_TABLES.filter((t) => !present.has(t));
}
