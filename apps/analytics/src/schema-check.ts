import { type DB, missingTables as missingOf } from '@friren/db';
import type { Kysely } from 'kysely';

/** What analytics reads and writes; created by `pnpm migrate`, never by the worker. */
export const REQUIRED_TABLES = [
  'trades',
  'analytics_state',
  'performance_metrics',
  'performance_daily',
  'equity_daily',
] as const;

/** The required tables missing from the database (empty: ready). */
export function missingTables(db: Kysely<DB>): Promise<string[]> {
  return missingOf(db, REQUIRED_TABLES);
}
