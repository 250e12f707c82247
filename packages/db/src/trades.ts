import type { TradeJob } from '@friren/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import { fromSqlDateTime } from './datetime.js';
import { canonicalDecimal } from './decimal.js';
import { insertIgnoreChecked } from './insert-ignore.js';
import { decimalId, positiveLimit } from './query-args.js';
import type { DB, TradesTable } from './schema.js';
import { tradeInsertSql } from './trade-insert-sql.js';

type OptionalTradeField = 'finbert_sentiment' | 'confidence_score' | 'order_id' | 'metadata';

/**
 * A validated trade job as the recorder hands it over: canonical decimal strings and a canonical
 * UTC timestamp (stored as `executed_at`). The contract's `TradeJob` with its optional fields
 * omittable, so a parsed job is a TradeRow.
 */
export type TradeRow = Omit<TradeJob, OptionalTradeField> & Partial<Pick<TradeJob, OptionalTradeField>>;

/** A ledger row: ids and decimals as canonical strings, times in canonical ISO UTC, metadata parsed. */
export type StoredTrade = Omit<Selectable<TradesTable>, 'metadata'> & {
  metadata: Record<string, unknown> | null;
};

/**
 * Stores trades with one multi-row INSERT IGNORE; a `trade_id` already in the ledger (or repeated in
 * the batch) is skipped. Returns how many rows were new.
 */
export function insertTrades(db: Kysely<DB>, rows: readonly TradeRow[]): Promise<number> {
  return insertIgnoreChecked(db, rows, (trx, chunk) => sql.raw(tradeInsertSql(chunk)).execute(trx));
}

/** An account's trades with `id` greater than `cursor` (a decimal id, `'0'` for the start), by id. */
export async function listTradesAfter(
  db: Kysely<DB>,
  account: string,
  cursor: string,
  limit: number,
): Promise<StoredTrade[]> {
  const rows = await db
    .selectFrom('trades')
    .selectAll()
    .where('account', '=', account)
    // Compared as an unsigned integer: a quoted string against BIGINT would compare as a double.
    .where('id', '>', sql<string>`CAST(${decimalId(cursor)} AS UNSIGNED)`)
    .orderBy('id', 'asc')
    .limit(positiveLimit(limit))
    .execute();
  return rows.map(fromRow);
}

/** How many trades the ledger holds, for one account or all. */
export async function countTrades(db: Kysely<DB>, account?: string): Promise<number> {
  let query = db.selectFrom('trades').select((eb) => eb.fn.countAll<string>().as('n'));
  if (account !== undefined) query = query.where('account', '=', account);
  const { n } = await query.executeTakeFirstOrThrow();
  return Number(n);
}

function fromRow(row: Selectable<TradesTable>): StoredTrade {
  return {
    id: String(row.id),
    trade_id: row.trade_id,
    account: row.account,
    symbol: row.symbol,
    side: row.side,
    quantity: canonicalDecimal(row.quantity),
    price: canonicalDecimal(row.price),
    fees: canonicalDecimal(row.fees),
    executed_at: fromSqlDateTime(row.executed_at),
    strategy_used: row.strategy_used,
    finbert_sentiment: row.finbert_sentiment,
    confidence_score: row.confidence_score,
    order_id: row.order_id,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    recorded_at: fromSqlDateTime(row.recorded_at),
  };
}
