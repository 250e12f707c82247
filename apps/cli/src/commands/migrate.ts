import { describeMysqlUrl, migrateDatabase } from '@friren/db';
import { parseFlags } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, println } from '../context.js';
import { EXIT } from '../errors.js';
import { createProgress } from '../format/progress.js';

export const MIGRATE_USAGE = `usage: friren migrate
  Creates the database in MYSQL_URL if absent and applies every pending migration.`;

export async function migrate(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values } = parseFlags(args, { help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    println(ctx.stdout, MIGRATE_USAGE);
    return EXIT.ok;
  }
  const config = cliConfig(ctx.env);
  const target = describeMysqlUrl(config.mysqlUrl);
  const result = await createProgress(ctx.stderr).step(
    `migrate database ${target.database} on ${target.host}:${target.port}`,
    () => migrateDatabase(config.mysqlUrl),
  );
  if (result.created) println(ctx.stdout, `created database ${target.database}`);
  println(
    ctx.stdout,
    result.applied.length === 0
      ? `database ${target.database} is up to date`
      : `applied ${result.applied.length} migration(s): ${result.applied.join(', ')}`,
  );
  return EXIT.ok;
}
