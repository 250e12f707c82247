/** One executed fill as the ledger stores it (structurally the `trades` row; decimals as strings). */
export interface AnalyticsTrade {
  /** The ledger row id, kept as the fold's cursor when present. */
  readonly id?: string;
  readonly trade_id: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /** > 0, at most 9 fractional digits. */
  readonly quantity: string;
  /** > 0, at most 9 fractional digits. */
  readonly price: string;
  /** ≥ 0, at most 9 fractional digits. */
  readonly fees: string;
  /** ISO-8601 execution time, UTC (`Z`); an offset is converted, a zone-less time is read as UTC. */
  readonly timestamp: string;
  readonly strategy_used: string;
  readonly finbert_sentiment?: number | null;
  readonly confidence_score?: number | null;
}

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
