import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { canonicalDecimal } from './decimal.js';
import { MAX_ROWS_PER_STATEMENT } from './insert-ignore.js';
import type { DB } from './schema.js';

/** One UTC day of an account's (strategy '') or a strategy's daily series. */
export interface PerformanceDailyRow {
  readonly account: string;
  readonly strategy: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly realized_pnl: string;
  readonly cumulative_realized_pnl: string;
  readonly daily_return: number | null;
}

/** Inserts or replaces the rows (key: account, strategy, date), in statements of 1000 rows. */
export async function upsertPerformanceDaily(
  trx: Kysely<DB>,
  rows: readonly PerformanceDailyRow[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    await trx
      .insertInto('performance_daily')
      .values(rows.slice(i, i + MAX_ROWS_PER_STATEMENT))
      .onDuplicateKeyUpdate({
        realized_pnl: sql`values(realized_pnl)`,
        cumulative_realized_pnl: sql`values(cumulative_realized_pnl)`,
        daily_return: sql`values(daily_return)`,
      })
      .execute();
  }
}

/** Removes an account's daily rows (before a rebuild writes them all again). */
export async function deletePerformanceDaily(trx: Kysely<DB>, account: string): Promise<void> {
  await trx.deleteFrom('performance_daily').where('account', '=', account).execute();
}

const money = z.string().transform(canonicalDecimal);
const rowSchema = z.object({
  account: z.string(),
  strategy: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  realized_pnl: money,
  cumulative_realized_pnl: money,
  daily_return: z.number().nullable(),
});

/** An account's rows by strategy, then date. */
export async function listPerformanceDaily(db: Kysely<DB>, account: string): Promise<PerformanceDailyRow[]> {
  const rows = await db
    .selectFrom('performance_daily')
    .selectAll()
    .where('account', '=', account)
    .orderBy('strategy')
    .orderBy('date')
    .execute();
  return rows.map((r) => rowSchema.parse(r));
}
