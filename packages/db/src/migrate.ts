import type { Kysely } from 'kysely';
import { type MigrationProvider, Migrator } from 'kysely/migration';
import { migrations } from './migrations/index.js';
import type { DB } from './schema.js';

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...migrations }),
};

/**
 * Brings the schema up to date. Kysely's migrator holds a lock table row while it runs, so
 * concurrent callers (several replicas starting at once) apply each migration once.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed ?? '(setup)'} failed: ${missingPrivilege(cause)}${cause}`, {
      cause: error,
    });
  }
  return { applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}

/**
 * "ALTER command denied to user …" → "missing privilege ALTER: ", so the operator reads at once
 * what to grant (the migrations need SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER and INDEX).
 */
function missingPrivilege(message: string): string {
  const m = /\b([A-Z][A-Z ]*?) command denied to user/.exec(message);
  return m ? `missing privilege ${m[1]}: ` : '';
}
