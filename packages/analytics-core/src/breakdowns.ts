import type { AnalyticsAccumulator } from './accumulator.js';
import {
  CONFIDENCE_BUCKETS,
  type ConfidenceBucket,
  SENTIMENT_BUCKETS,
  type SentimentBucket,
} from './buckets.js';
import { type TradeStatistics, tradeStatistics } from './trade-stats.js';
import type { PriceMap } from './types.js';
import { unrealizedPnl } from './unrealized.js';

export interface Breakdowns {
  readonly overall: TradeStatistics;
  /** Each strategy on its own lots. */
  readonly by_strategy: Readonly<Record<string, TradeStatistics>>;
  readonly by_symbol: Readonly<Record<string, TradeStatistics>>;
  /** By the closing fill's FinBERT sentiment (no unrealized figure). */
  readonly by_sentiment: Readonly<Record<SentimentBucket, TradeStatistics>>;
  /** By the closing fill's confidence quintile (no unrealized figure). */
  readonly by_confidence: Readonly<Record<ConfidenceBucket, TradeStatistics>>;
  readonly missing_prices: readonly string[];
}

/**
 * Trade statistics overall and per strategy, symbol, sentiment bucket and confidence quintile. Overall,
 * per symbol and per bucket: the account's lots (a bucket is the closing fill's); per strategy: its own.
 */
export function breakdowns(accumulator: AnalyticsAccumulator, prices: PriceMap): Breakdowns {
  const unrealized = unrealizedPnl(accumulator, prices);
  const byStrategy: Record<string, TradeStatistics> = {};
  for (const [name, s] of accumulator.strategies) {
    byStrategy[name] = tradeStatistics(s.stats, unrealized.byStrategy.get(name) ?? 0n);
  }
  const bySymbol: Record<string, TradeStatistics> = {};
  for (const [symbol, s] of accumulator.symbols) {
    bySymbol[symbol] = tradeStatistics(s.stats, unrealized.bySymbol.get(symbol) ?? 0n);
  }
  return {
    overall: tradeStatistics(accumulator.overall, unrealized.total),
    by_strategy: byStrategy,
    by_symbol: bySymbol,
    by_sentiment: Object.fromEntries(
      SENTIMENT_BUCKETS.map((b, i) => [b, tradeStatistics(accumulator.sentiment[i]!)]),
    ) as Record<SentimentBucket, TradeStatistics>,
    by_confidence: Object.fromEntries(
      CONFIDENCE_BUCKETS.map((b, i) => [b, tradeStatistics(accumulator.confidence[i]!)]),
    ) as Record<ConfidenceBucket, TradeStatistics>,
    missing_prices: unrealized.missingPrices,
  };
}
