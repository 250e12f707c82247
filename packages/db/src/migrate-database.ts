import { createDb } from './database.js';
import { ensureDatabase } from './ensure-database.js';
import { migrateToLatest } from './migrate.js';

export interface MigrateDatabaseResult {
  /** Whether the database itself had to be created. */
  created: boolean;
  /** Migrations applied by this run, in order (empty when already up to date). */
  applied: string[];
}

/** What `migrate` does: create the database if absent, then apply every pending migration. */
export async function migrateDatabase(mysqlUrl: string): Promise<MigrateDatabaseResult> {
  const { created } = await ensureDatabase(mysqlUrl);
  const database = createDb(mysqlUrl, { poolSize: 1 });
  try {
    const { applied } = await migrateToLatest(database.db);
    return { created, applied };
  } finally {
    await database.close();
  }
}
