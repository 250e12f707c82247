import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { escape as escapeSql } from 'mysql2';
import { fromSqlDateTime } from './datetime.js';
import { canonicalDecimal } from './decimal.js';
import { insertIgnoreIn, MAX_ROWS_PER_STATEMENT } from './insert-ignore.js';
import type { DB, TradesTable } from './schema.js';
import { tradeInsertSql } from './trade-insert-sql.js';
import type { TradeRow } from './trades.js';

/** A field on which a received trade differs from the one the ledger holds under its key. */
export interface FieldDifference {
  readonly field: string;
  /** As the ledger holds it (canonical form), shortened for a reason text. */
  readonly recorded: string;
  readonly received: string;
}

/**
 * What became of one trade: `inserted` (new row), `duplicate` (the ledger holds this very trade under
 * its (account, trade_id): a redelivery), or `conflict` (it holds a different trade under that key;
 * nothing was written for this one). `id` is the ledger id of the recorded trade.
 */
export type TradeOutcome =
  | { readonly status: 'inserted' }
  | { readonly status: 'duplicate'; readonly id: string }
  | { readonly status: 'conflict'; readonly id: string; readonly differences: readonly FieldDifference[] };

/** Concurrent writers of the same keys can make one classification stale; it is then redone. */
const MAX_CLASSIFY_ROUNDS = 5;

class NotAllNew extends Error {}

/**
 * Stores trades, one outcome per row in order. The common case, all new, costs one multi-row
 * INSERT IGNORE. When some key already exists (or repeats in the batch), that insert is rolled back
 * and the batch is classified against the ledger: the first row of each new key is inserted, every
 * other row is compared field by field (decimals and times in canonical form) with the trade the
 * ledger holds. Nothing is ever overwritten.
 */
export async function recordTrades(db: Kysely<DB>, rows: readonly TradeRow[]): Promise<TradeOutcome[]> {
  if (rows.length === 0) return [];
  try {
    await db.transaction().execute(async (trx) => {
      const added = await insertAll(trx, rows);
      if (added !== rows.length) throw new NotAllNew();
    });
    return rows.map(() => ({ status: 'inserted' }));
  } catch (error) {
    if (!(error instanceof NotAllNew)) throw error;
  }
  for (let round = 1; ; round++) {
    try {
      return await db.transaction().execute((trx) => classify(trx, rows));
    } catch (error) {
      if (!(error instanceof NotAllNew) || round >= MAX_CLASSIFY_ROUNDS) throw error;
    }
  }
}

function insertAll(trx: Transaction<DB>, rows: readonly TradeRow[]): Promise<number> {
  return insertIgnoreIn(trx, rows, (t, chunk) => sql.raw(tradeInsertSql(chunk)).execute(t));
}

const keyOf = (account: string, tradeId: string) => `${account}\u0000${tradeId}`;

async function classify(trx: Transaction<DB>, rows: readonly TradeRow[]): Promise<TradeOutcome[]> {
  const keys = [...new Set(rows.map((r) => keyOf(r.account, r.trade_id)))];
  const before = await storedByKey(trx, rows);
  const fresh: TradeRow[] = [];
  const freshIndex = new Set<number>();
  const claimed = new Set<string>();
  rows.forEach((row, i) => {
    const key = keyOf(row.account, row.trade_id);
    if (before.has(key) || claimed.has(key)) return;
    claimed.add(key);
    fresh.push(row);
    freshIndex.add(i);
  });
  if (fresh.length > 0) {
    const added = await insertAll(trx, fresh);
    // Another writer took one of these keys since the read: classify again.
    if (added !== fresh.length) throw new NotAllNew();
  }
  const after = fresh.length > 0 ? await storedByKey(trx, rows) : before;
  if (after.size !== keys.length) throw new NotAllNew();
  return rows.map((row, i): TradeOutcome => {
    if (freshIndex.has(i)) return { status: 'inserted' };
    const stored = after.get(keyOf(row.account, row.trade_id))!;
    const differences = tradeDifferences(stored, row);
    const id = String(stored.id);
    return differences.length === 0 ? { status: 'duplicate', id } : { status: 'conflict', id, differences };
  });
}

async function storedByKey(
  trx: Transaction<DB>,
  rows: readonly TradeRow[],
): Promise<Map<string, Selectable<TradesTable>>> {
  const out = new Map<string, Selectable<TradesTable>>();
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const tuples = rows
      .slice(i, i + MAX_ROWS_PER_STATEMENT)
      .map((r) => `(${escapeSql(r.account)},${escapeSql(r.trade_id)})`)
      .join(',');
    const { rows: found } = await sql<
      Selectable<TradesTable>
    >`SELECT * FROM trades WHERE (account, trade_id) IN (${sql.raw(tuples)})`.execute(trx);
    for (const s of found) out.set(keyOf(s.account, s.trade_id), s);
  }
  return out;
}

const SHOWN_CHARS = 80;

function shown(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return 'absent';
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS - 1)}…`;
}

/** The fields on which `row` differs from the stored trade of the same key, in column order. */
export function tradeDifferences(stored: Selectable<TradesTable>, row: TradeRow): FieldDifference[] {
  const out: FieldDifference[] = [];
  const differ = (field: string, recorded: string | number | null, received: string | number | null) => {
    if (recorded !== received) out.push({ field, recorded: shown(recorded), received: shown(received) });
  };
  differ('symbol', stored.symbol, row.symbol);
  differ('side', stored.side, row.side);
  differ('quantity', canonicalDecimal(stored.quantity), canonicalDecimal(row.quantity));
  differ('price', canonicalDecimal(stored.price), canonicalDecimal(row.price));
  differ('fees', canonicalDecimal(stored.fees), canonicalDecimal(row.fees));
  differ('timestamp', fromSqlDateTime(stored.executed_at), row.timestamp);
  differ('strategy_used', stored.strategy_used, row.strategy_used);
  differ('finbert_sentiment', stored.finbert_sentiment, row.finbert_sentiment ?? null);
  differ('confidence_score', stored.confidence_score, row.confidence_score ?? null);
  differ('order_id', stored.order_id, row.order_id ?? null);
  differ(
    'metadata',
    stored.metadata === null ? null : canonicalJson(JSON.parse(stored.metadata)),
    row.metadata === undefined ? null : canonicalJson(row.metadata),
  );
  return out;
}

/** JSON with object keys sorted, so key order (which MySQL's JSON type does not keep) never differs. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
