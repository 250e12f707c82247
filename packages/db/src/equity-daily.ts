import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { toSqlDateTime } from './datetime.js';
import { canonicalDecimal } from './decimal.js';
import { MAX_ROWS_PER_STATEMENT } from './insert-ignore.js';
import type { DB } from './schema.js';

/** One day of the broker's portfolio history. */
export interface EquityDailyRow {
  readonly account: string;
  /** `YYYY-MM-DD` (UTC date of the broker's daily timestamp). */
  readonly date: string;
  /** Decimal strings (at most 18 fractional digits). */
  readonly equity: string;
  readonly profit_loss: string;
  /** That day's return as a fraction, as the broker sends it. */
  readonly profit_loss_pct: number;
}

/** Inserts or replaces days (key: account, date); the broker's latest word on a day wins. */
export async function upsertEquityDaily(
  trx: Kysely<DB>,
  rows: readonly EquityDailyRow[],
  now: string,
): Promise<void> {
  const updatedAt = toSqlDateTime(now);
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    await trx
      .insertInto('equity_daily')
      .values(rows.slice(i, i + MAX_ROWS_PER_STATEMENT).map((r) => ({ ...r, updated_at: updatedAt })))
      .onDuplicateKeyUpdate({
        equity: sql`values(equity)`,
        profit_loss: sql`values(profit_loss)`,
        profit_loss_pct: sql`values(profit_loss_pct)`,
        updated_at: sql`values(updated_at)`,
      })
      .execute();
  }
}

const rowSchema = z.object({
  account: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  equity: z.string().transform(canonicalDecimal),
  profit_loss: z.string().transform(canonicalDecimal),
  profit_loss_pct: z.number(),
});

/** An account's days, oldest first. */
export async function listEquityDaily(db: Kysely<DB>, account: string): Promise<EquityDailyRow[]> {
  const rows = await db
    .selectFrom('equity_daily')
    .select(['account', 'date', 'equity', 'profit_loss', 'profit_loss_pct'])
    .where('account', '=', account)
    .orderBy('date')
    .execute();
  return rows.map((r) => rowSchema.parse(r));
}
