import type { TradeJob } from '@friren/contracts';

/**
 * One executed fill as the fold reads it: the contract's trade narrowed to what the figures use.
 * Decimals are strings with at most 9 fractional digits; `timestamp` is ISO-8601 UTC (an offset is
 * converted, a zone-less time is read as UTC). Ledger rows (`StreamedTrade` of @friren/db) fit it.
 */
export type AnalyticsTrade = Readonly<
  Pick<
    TradeJob,
    'trade_id' | 'account' | 'symbol' | 'side' | 'quantity' | 'price' | 'fees' | 'timestamp' | 'strategy_used'
  > & {
    /** The ledger row id, kept as the fold's cursor when present. */
    id?: string;
    finbert_sentiment?: number | null;
    confidence_score?: number | null;
  }
>;

/** Lot matching for realized P&L (`PNL_METHOD`). */
export type PnlMethod = 'fifo' | 'average';

/** Current prices by symbol, decimal strings (e.g. `current_price` of the positions in Redis). */
export type PriceMap = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** One day of the broker's portfolio history. */
export interface PortfolioHistoryPoint {
  /** `YYYY-MM-DD`, the trading day. */
  readonly date: string;
  /** Equity at the close of that day, decimal string. */
  readonly equity: string;
  /** That day's simple return as a fraction (0.01 = 1 %), as the broker sends it for 1D bars. */
  readonly profit_loss_pct: number;
}

/** A return attached to its day. */
export interface DailyReturn {
  readonly date: string;
  readonly return: number;
}

export function priceOf(prices: PriceMap, symbol: string): string | undefined {
  if (prices instanceof Map) return prices.get(symbol);
  const record = prices as Readonly<Record<string, string>>;
  return Object.hasOwn(record, symbol) ? record[symbol] : undefined;
}
