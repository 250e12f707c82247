import type { ClosingMarks } from '@friren/analytics-core';
import { type DB, toSqlDateTime } from '@friren/db';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';

const markRow = z.object({
  symbol: z.string(),
  date: z
    .union([z.string(), z.date()])
    .transform((d) => (typeof d === 'string' ? d.slice(0, 10) : d.toISOString().slice(0, 10))),
  price: z.string(),
});

/**
 * Records today's broker marks (`marks_daily`, one row per symbol and New York day, the latest price
 * seen that day winning) and returns all of the account's marks. The table is not in the typed
 * schema (`@friren/db`'s `DB`), hence the plain SQL.
 */
export async function recordAndLoadMarks(
  trx: Kysely<DB>,
  account: string,
  date: string,
  prices: ReadonlyMap<string, string>,
  now: string,
): Promise<ClosingMarks> {
  const at = toSqlDateTime(now);
  const rows = [...prices].map(([symbol, price]) => sql`(${account}, ${symbol}, ${date}, ${price}, ${at})`);
  if (rows.length > 0) {
    await sql`insert into marks_daily (account, symbol, date, price, updated_at) values ${sql.join(rows)}
      on duplicate key update price = values(price), updated_at = values(updated_at)`.execute(trx);
  }
  const result =
    await sql<unknown>`select symbol, date_format(date, '%Y-%m-%d') as date, cast(price as char) as price
    from marks_daily where account = ${account}`.execute(trx);
  const marks = new Map<string, Map<string, string>>();
  for (const raw of result.rows) {
    const r = markRow.parse(raw);
    let bySymbol = marks.get(r.symbol);
    if (bySymbol === undefined) {
      bySymbol = new Map();
      marks.set(r.symbol, bySymbol);
    }
    bySymbol.set(r.date, r.price);
  }
  return marks;
}
