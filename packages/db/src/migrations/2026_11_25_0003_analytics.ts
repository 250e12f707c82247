import { type Kysely, sql } from 'kysely';

/**
 * The analytics worker's own tables (docs/CONTRACT.md §4; documented in apps/analytics/README.md).
 *
 * - `analytics_state`: per account, how far the worker has folded the ledger (`last_trade_id`,
 *   `fills`, `revision`) and a checkpoint of the accumulator (`state`) with the ledger id it covers
 *   (`state_trade_id`). State and its cursor are written together, so a crash never counts a trade
 *   twice: a restarted worker folds the ledger again from the checkpoint.
 * - `performance_metrics`: the latest docs/CONTRACT.md §5 figures per account × strategy; `strategy = ''`
 *   is the whole account (a strategy name is 1–64 characters, so '' cannot collide).
 * - `performance_daily`: the daily series behind the ratios, per account × strategy × UTC day.
 * - `equity_daily`: the broker's daily portfolio history, kept beyond the broker's window.
 *
 * Money is DECIMAL(65, 18): the analytics core carries money at 18 decimals (quantity × price of two
 * 9-decimal numbers), so figures are stored exactly, never rounded. Ratios are DOUBLE, NULL where
 * undefined (no losses for a profit factor, too few days for a Sharpe ratio).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const account = sql`varchar(32) character set utf8mb4 collate utf8mb4_bin`;
  const strategy = sql`varchar(64) character set utf8mb4 collate utf8mb4_bin`;
  const money = sql`decimal(65, 18)`;
  const table = sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci`;

  await db.schema
    .createTable('analytics_state')
    .addColumn('account', account, (c) => c.notNull().primaryKey())
    .addColumn('pnl_method', sql`enum('fifo','average')`, (c) => c.notNull())
    .addColumn('last_trade_id', sql`bigint unsigned`, (c) => c.notNull().defaultTo(0))
    .addColumn('fills', sql`bigint unsigned`, (c) => c.notNull().defaultTo(0))
    .addColumn('revision', sql`bigint unsigned`, (c) => c.notNull().defaultTo(0))
    .addColumn('state_trade_id', sql`bigint unsigned`, (c) => c.notNull().defaultTo(0))
    .addColumn('state', sql`longtext`)
    .addColumn('updated_at', sql`datetime(6)`, (c) => c.notNull())
    .modifyEnd(table)
    .execute();

  await db.schema
    .createTable('performance_metrics')
    .addColumn('account', account, (c) => c.notNull())
    .addColumn('strategy', strategy, (c) => c.notNull())
    .addColumn('total_pnl', money, (c) => c.notNull())
    .addColumn('realized_pnl', money, (c) => c.notNull())
    .addColumn('unrealized_pnl', money, (c) => c.notNull())
    .addColumn('total_return_pct', 'double precision')
    .addColumn('sharpe_ratio', 'double precision')
    .addColumn('sortino_ratio', 'double precision')
    .addColumn('max_drawdown_pct', 'double precision')
    .addColumn('calmar_ratio', 'double precision')
    .addColumn('win_rate_pct', 'double precision')
    .addColumn('profit_factor', 'double precision')
    .addColumn('expectancy', money, (c) => c.notNull())
    .addColumn('trades_count', sql`bigint unsigned`, (c) => c.notNull())
    .addColumn('as_of', sql`datetime(6)`, (c) => c.notNull())
    .addPrimaryKeyConstraint('performance_metrics_pk', ['account', 'strategy'])
    .modifyEnd(table)
    .execute();

  await db.schema
    .createTable('performance_daily')
    .addColumn('account', account, (c) => c.notNull())
    .addColumn('strategy', strategy, (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('realized_pnl', money, (c) => c.notNull())
    .addColumn('cumulative_realized_pnl', money, (c) => c.notNull())
    .addColumn('daily_return', 'double precision')
    .addPrimaryKeyConstraint('performance_daily_pk', ['account', 'strategy', 'date'])
    .modifyEnd(table)
    .execute();

  await db.schema
    .createTable('equity_daily')
    .addColumn('account', account, (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('equity', sql`decimal(38, 18)`, (c) => c.notNull())
    .addColumn('profit_loss', sql`decimal(38, 18)`, (c) => c.notNull())
    .addColumn('profit_loss_pct', 'double precision', (c) => c.notNull())
    .addColumn('updated_at', sql`datetime(6)`, (c) => c.notNull())
    .addPrimaryKeyConstraint('equity_daily_pk', ['account', 'date'])
    .modifyEnd(table)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['equity_daily', 'performance_daily', 'performance_metrics', 'analytics_state']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
