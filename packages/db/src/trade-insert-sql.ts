import { escape as escapeSql } from 'mysql2';
import { toSqlDateTime } from './datetime.js';
import type { TradeRow } from './trades.js';

/**
 * The recorder's hot path builds its multi-row INSERT as text. Through Kysely each row became 13
 * parameters compiled and then formatted back into text by mysql2's escaper; at 15-20k trades/s
 * that was about a tenth of the recorder's CPU and of its allocations (young-generation GC pauses
 * are its latency tail). The text is the same, with the same escaper for anything not plain.
 */
export const TRADE_INSERT_PREFIX =
  'INSERT IGNORE INTO trades (trade_id, account, symbol, side, quantity, price, fees, executed_at, ' +
  'strategy_used, finbert_sentiment, confidence_score, order_id, metadata) VALUES ';

/** What mysql2's escaper escapes; a string without any is quoted as it is (as the escaper would). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters it escapes
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;

function text(value: string): string {
  return NEEDS_ESCAPE.test(value) ? escapeSql(value) : `'${value}'`;
}

/**
 * JSON text inside a single-quoted literal: its double quotes need no escaping there, and
 * JSON.stringify writes no raw control characters, so only a quote or a backslash sends it through
 * the escaper. Most metadata has neither.
 */
function jsonText(value: unknown): string {
  const json = JSON.stringify(value);
  return /['\\]/.test(json) ? escapeSql(json) : `'${json}'`;
}

function optionalText(value: string | undefined): string {
  return value === undefined ? 'NULL' : text(value);
}

function optionalNumber(value: number | undefined): string {
  if (value === undefined) return 'NULL';
  // The shortest round-trip form, which MySQL reads back as the same double.
  return Number.isFinite(value) ? String(value) : escapeSql(value);
}

/** One `(...)` tuple of the VALUES list, in TRADE_INSERT_PREFIX's column order. */
export function tradeValuesSql(row: TradeRow): string {
  return (
    `(${text(row.trade_id)},${text(row.account)},${text(row.symbol)},${text(row.side)},` +
    `${text(row.quantity)},${text(row.price)},${text(row.fees)},'${toSqlDateTime(row.timestamp)}',` +
    `${text(row.strategy_used)},${optionalNumber(row.finbert_sentiment)},${optionalNumber(row.confidence_score)},` +
    `${optionalText(row.order_id)},${row.metadata === undefined ? 'NULL' : jsonText(row.metadata)})`
  );
}

/** The whole statement for `rows` (at least one). */
export function tradeInsertSql(rows: readonly TradeRow[]): string {
  let statement = TRADE_INSERT_PREFIX;
  for (let i = 0; i < rows.length; i++) statement += (i === 0 ? '' : ',') + tradeValuesSql(rows[i]!);
  return statement;
}
