import type { Pool, PoolConnection, QueryError } from 'mysql2';
import { decimalId } from './query-args.js';
import type { StoredTrade } from './trades.js';

/**
 * A ledger trade as the analytics fold reads it: decimals as stored (nine fractional digits),
 * `timestamp` canonical ISO UTC. No `id`: the stream reports the last one read (`lastId`).
 */
export type StreamedTrade = Readonly<
  Pick<
    StoredTrade,
    | 'trade_id'
    | 'account'
    | 'symbol'
    | 'side'
    | 'quantity'
    | 'price'
    | 'fees'
    | 'strategy_used'
    | 'finbert_sentiment'
    | 'confidence_score'
  > & { timestamp: string }
>;

export interface StreamTradesOptions {
  readonly account: string;
  /** Ledger id to read after ('0': from the start). */
  readonly afterId: string;
  /**
   * Only rows recorded at least this long ago (by the database clock) are handed over, and the stream
   * stops at the first younger one, so a caller never steps past a row id that a slower transaction
   * may still fill in below it (ids are allocated at insert, made visible at commit).
   */
  readonly settleMs: number;
  /** Stop after this many rows (default: no limit). */
  readonly limit?: number;
}

export interface StreamTradesResult {
  /** Rows handed to `onTrade`. */
  readonly count: number;
  /** Id of the last one, or `afterId` when none. */
  readonly lastId: string;
  /** A row newer than the settle delay was reached: read again once it has settled. */
  readonly unsettled: boolean;
}

type Row = [
  id: number,
  trade_id: string,
  symbol: string,
  side: 'buy' | 'sell',
  quantity: string,
  price: string,
  fees: string,
  timestamp: string,
  strategy_used: string,
  finbert_sentiment: number | null,
  confidence_score: number | null,
  settled: number,
];

// This query feeds a full rebuild of millions of rows, where every per-row cost shows: columns come
// back as arrays (no per-row object keyed by name), the ISO time is formatted by the server, and the
// id as a double (exact below 2^53) rather than a BIGINT string. FORCE INDEX (account, id): a range
// of this account's ids in id order, never a row of another account; left alone, the optimizer may
// pick (account, executed_at) and sort a million rows, and the primary key alone walks every
// account's rows after the cursor (a quiet account's read scanned the whole ledger).
export const TRADE_STREAM_SQL = `SELECT id + 0e0, trade_id, symbol, side, quantity, price, fees,
  DATE_FORMAT(executed_at, '%Y-%m-%dT%H:%i:%s.%fZ'), strategy_used, finbert_sentiment, confidence_score,
  recorded_at <= NOW(6) - INTERVAL ? MICROSECOND
FROM trades FORCE INDEX (trades_account_id_idx) WHERE account = ? AND id > CAST(? AS UNSIGNED) ORDER BY id`;

/**
 * Streams an account's trades after `afterId` in id order, calling `onTrade` synchronously for each
 * as it is parsed (nothing is buffered, so memory stays flat over a million rows). The object passed
 * to `onTrade` is reused for the next row: copy what you keep (the fold keeps only strings). Rows
 * are not zod-checked one by one: the columns are typed by the schema (DECIMAL, ENUM, DATETIME),
 * and the analytics fold rejects a malformed number anyway. An exception from `onTrade` fails the
 * stream.
 */
export function streamTradesAfter(
  pool: Pool,
  opts: StreamTradesOptions,
  onTrade: (trade: StreamedTrade) => void,
): Promise<StreamTradesResult> {
  const settleUs = Math.max(0, Math.round(opts.settleMs * 1000));
  const limit = opts.limit;
  const sql =
    limit === undefined ? TRADE_STREAM_SQL : `${TRADE_STREAM_SQL} LIMIT ${Math.max(1, Math.floor(limit))}`;
  const values = [settleUs, opts.account, decimalId(opts.afterId)];
  return new Promise((resolve, reject) => {
    pool.getConnection((connectError: NodeJS.ErrnoException | null, conn: PoolConnection) => {
      if (connectError) return reject(connectError);
      let count = 0;
      let lastId = Number(opts.afterId);
      let unsettled = false;
      let failure: unknown;
      // One object, refilled per row: a million rows allocate no trade objects.
      const trade: { -readonly [K in keyof StreamedTrade]: StreamedTrade[K] } = {
        trade_id: '',
        account: opts.account,
        symbol: '',
        side: 'buy',
        quantity: '',
        price: '',
        fees: '',
        timestamp: '',
        strategy_used: '',
        finbert_sentiment: null,
        confidence_score: null,
      };
      // The binary protocol (a prepared statement): doubles arrive as bytes, not text to parseFloat.
      const query = conn.execute({ sql, values, rowsAsArray: true });
      query.on('result', (raw) => {
        // Past a young row or a failed callback, the rest of the result is drained and ignored.
        if (unsettled || failure !== undefined) return;
        const row = raw as unknown as Row;
        if (row[11] !== 1) {
          unsettled = true;
          return;
        }
        trade.trade_id = row[1];
        trade.symbol = row[2];
        trade.side = row[3];
        trade.quantity = row[4];
        trade.price = row[5];
        trade.fees = row[6];
        trade.timestamp = row[7];
        trade.strategy_used = row[8];
        trade.finbert_sentiment = row[9];
        trade.confidence_score = row[10];
        try {
          onTrade(trade);
        } catch (error) {
          failure = error;
          return;
        }
        count++;
        lastId = row[0];
      });
      query.on('error', (error: QueryError) => {
        failure ??= error;
      });
      query.on('end', () => {
        conn.release();
        if (failure !== undefined) reject(failure);
        // Ids stay below 2^53, so the decimal form of the double is the id.
        else resolve({ count, lastId: count === 0 ? opts.afterId : String(lastId), unsettled });
      });
    });
  });
}

export const COUNT_THROUGH_SQL =
  'SELECT COUNT(*) FROM trades WHERE account = ? AND id <= CAST(? AS UNSIGNED)';

/**
 * How many of an account's trades have an id ≤ `throughId`: equal to the fills folded up to that
 * cursor unless a row committed late below it (see README of apps/analytics).
 */
export function countTradesThrough(pool: Pool, account: string, throughId: string): Promise<number> {
  return new Promise((resolve, reject) => {
    pool.query(
      {
        sql: COUNT_THROUGH_SQL,
        rowsAsArray: true,
      },
      [account, decimalId(throughId)],
      (error, rows) => {
        if (error) return reject(error);
        const n = Number((rows as unknown as [[string | number]])[0]?.[0]);
        if (!Number.isSafeInteger(n)) return reject(new Error('COUNT(*) did not return an integer'));
        resolve(n);
      },
    );
  });
}
