import { parseArgs } from 'node:util';
import { DEFAULT_OPS_PORTS, loadConfig } from '@friren/config';
import { redisKeys } from '@friren/contracts';
import { countTrades, createDb } from '@friren/db';
import { createLogger } from '@friren/observability';
import { openRedis } from '@friren/redis';
import type { Redis } from 'ioredis';
import { createProgressBar } from './progress-bar.js';
import { type CachedState, recomputeAccount } from './recompute.js';
import { missingTables } from './schema-check.js';
import { analyticsSettingsFromEnv } from './settings.js';

/**
 * `pnpm --filter @friren/analytics rebuild [--account A]...`: folds each account's whole ledger into
 * a fresh state and rewrites its metrics, daily rows and hash — the same code path as the worker's
 * recompute from cursor 0, so the figures are identical. Safe while workers run: it takes the same
 * row lock. Accounts: `--account` (repeatable), else FRIREN_ACCOUNTS.
 */
const USAGE = 'usage: rebuild [--account <alias>]...';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { account: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig(process.env, { opsPort: DEFAULT_OPS_PORTS.analytics });
  const settings = analyticsSettingsFromEnv();
  const accounts = values.account ?? config.accounts.map((a) => a.alias);
  const bad = accounts.filter((a) => !/^[a-z0-9_-]{1,32}$/.test(a));
  if (bad.length > 0) {
    console.error(`not an account alias: ${bad.join(', ')}\n${USAGE}`);
    return 2;
  }
  // Logs go to stdout like every app's; the progress bar has stderr to itself.
  const logger = createLogger({ name: 'analytics-rebuild', level: config.logLevel });
  const database = createDb(config.mysqlUrl, { poolSize: 3 });
  const redis = openRedis(config.redisUrl, config.redisSentinel, {
    connectionName: 'friren-analytics-rebuild',
  });
  try {
    const missing = await missingTables(database.db);
    if (missing.length > 0) {
      console.error(`missing tables ${missing.join(', ')}: run \`pnpm migrate\` first`);
      return 1;
    }
    const ctx = {
      database,
      redis,
      keys: redisKeys(config.prefix),
      method: config.pnlMethod,
      settleMs: settings.settleMs,
      cache: new Map<string, CachedState>(),
      logger,
    };
    for (const account of accounts) {
      const total = await countTrades(database.db, account);
      const bar = createProgressBar(process.stderr, account, total);
      const result = await recomputeAccount(ctx, account, {
        rebuild: 'requested',
        onProgress: (n) => bar.update(n),
      });
      bar.finish(result.fills);
      ctx.cache.clear();
      const o = result.report.overall;
      console.log(
        `${account}: ${result.fills} trades (cursor ${result.lastTradeId}), realized ${o.realized_pnl}, total ${o.total_pnl}, ` +
          `sharpe ${o.sharpe_ratio ?? 'null'}, revision ${result.revision}, ${Math.round(result.durationMs)} ms` +
          (result.unsettled ? ' (newest trades not settled yet: the worker folds them)' : ''),
      );
    }
    return 0;
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
