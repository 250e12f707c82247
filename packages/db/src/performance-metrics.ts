import { PERFORMANCE_FIELDS, type PerformanceSummary } from '@friren/contracts';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { fromSqlDateTime, toSqlDateTime } from './datetime.js';
import { canonicalDecimal } from './decimal.js';
import type { DB } from './schema.js';

/** The strategy value of an account's overall row: no strategy name is empty. */
export const OVERALL_STRATEGY = '';

/**
 * One `performance_metrics` row: the docs/CONTRACT.md §5 summary (money as exact decimal strings, ratios
 * null where undefined, `as_of` ISO UTC) plus the unrealized part, keyed by account and strategy.
 */
export interface PerformanceMetricsRow extends PerformanceSummary {
  readonly account: string;
  /** '' (OVERALL_STRATEGY) for the whole account. */
  readonly strategy: string;
  readonly unrealized_pnl: string;
}

const UPDATED_COLUMNS = [...PERFORMANCE_FIELDS, 'unrealized_pnl'] as const;

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
