#!/usr/bin/env node
import { migrateDatabase } from './migrate-database.js';
import { DEFAULT_MYSQL_URL, describeMysqlUrl, mysqlUrlSchema } from './mysql-url.js';

/**
 * `pnpm migrate`: creates the database named by MYSQL_URL if absent and applies pending migrations.
 * Prints where it connects without credentials; exits 1 on any failure.
 */
async function main(): Promise<number> {
  const parsed = mysqlUrlSchema.safeParse(process.env['MYSQL_URL'] || DEFAULT_MYSQL_URL);
  if (!parsed.success) {
    console.error(`migrate: MYSQL_URL ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    return 1;
  }
  const { host, port, database } = describeMysqlUrl(parsed.data);
  const where = `${database} on ${host}:${port}`;
  try {
    const { created, applied } = await migrateDatabase(parsed.data);
    console.log(`migrate: database ${where} ${created ? 'created' : 'already present'}`);
    for (const name of applied) console.log(`migrate: applied ${name}`);
    console.log(applied.length > 0 ? `migrate: ${applied.length} applied` : 'migrate: already up to date');
    return 0;
  } catch (err) {
    // mysql2 and Kysely errors name the user and host at most, never the password.
    console.error(`migrate: failed for ${where}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

process.exitCode = await main();
