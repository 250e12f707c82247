import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { fromSqlDateTime, toSqlDateTime } from './datetime.js';
import { canonicalDecimal } from './decimal.js';
import type { DB } from './schema.js';

/** The strategy value of an account's overall row: no strategy name is empty. */
export const OVERALL_STRATEGY = '';

/** One `performance_metrics` row: money as exact decimal strings, ratios null where undefined. */
export interface PerformanceMetricsRow {
  readonly account: string;
  /** '' (OVERALL_STRATEGY) for the whole account. */
  readonly strategy: string;
  readonly total_pnl: string;
  readonly realized_pnl: string;
  readonly unrealized_pnl: string;
  readonly total_return_pct: number | null;
  readonly sharpe_ratio: number | null;
  readonly sortino_ratio: number | null;
  readonly max_drawdown_pct: number | null;
  readonly calmar_ratio: number | null;
  readonly win_rate_pct: number | null;
  readonly profit_factor: number | null;
  readonly expectancy: string;
  readonly trades_count: number;
  /** ISO UTC. */
  readonly as_of: string;
}

const UPDATED_COLUMNS = [
  'total_pnl',
  'realized_pnl',
  'unrealized_pnl',
  'total_return_pct',
  'sharpe_ratio',
  'sortino_ratio',
  'max_drawdown_pct',
  'calmar_ratio',
  'win_rate_pct',
  'profit_factor',
  'expectancy',
  'trades_count',
  'as_of',
] as const;

/** Inserts or replaces the rows (key: account, strategy). */
export async function upsertPerformanceMetrics(
  trx: Kysely<DB>,
  rows: readonly PerformanceMetricsRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await trx
    .insertInto('performance_metrics')
    .values(rows.map((r) => ({ ...r, as_of: toSqlDateTime(r.as_of) })))
    .onDuplicateKeyUpdate(Object.fromEntries(UPDATED_COLUMNS.map((c) => [c, sql`values(${sql.ref(c)})`])))
    .execute();
}

const money = z.string().transform(canonicalDecimal);
const ratio = z.number().nullable();
const rowSchema = z.object({
  account: z.string(),
  strategy: z.string(),
  total_pnl: money,
  realized_pnl: money,
  unrealized_pnl: money,
  total_return_pct: ratio,
  sharpe_ratio: ratio,
  sortino_ratio: ratio,
  max_drawdown_pct: ratio,
  calmar_ratio: ratio,
  win_rate_pct: ratio,
  profit_factor: ratio,
  expectancy: money,
  trades_count: z.coerce.number().int().nonnegative(),
  as_of: z.string().transform(fromSqlDateTime),
});

/** An account's rows, the overall one first, then by strategy. */
export async function listPerformanceMetrics(
  db: Kysely<DB>,
  account: string,
): Promise<PerformanceMetricsRow[]> {
  const rows = await db
    .selectFrom('performance_metrics')
    .selectAll()
    .where('account', '=', account)
    .orderBy('strategy')
    .execute();
  return rows.map((r) => rowSchema.parse(r));
}

/** Removes an account's rows (before a rebuild writes them again). */
export async function deletePerformanceMetrics(trx: Kysely<DB>, account: string): Promise<void> {
  await trx.deleteFrom('performance_metrics').where('account', '=', account).execute();
}
