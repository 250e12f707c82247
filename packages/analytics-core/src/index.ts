export {
  type BrokerFigures,
  type BrokerInput,
  type BrokerSource,
  brokerDailyReturns,
  brokerFigures,
  returnFigures,
} from './account-figures.js';
export {
  type AccumulatorOptions,
  type AccumulatorState,
  AnalyticsAccumulator,
  StrategyPosition,
  StrategyState,
  SymbolState,
} from './accumulator.js';
export { type Breakdowns, breakdowns } from './breakdowns.js';
export {
  CONFIDENCE_BUCKETS,
  type ConfidenceBucket,
  confidenceIndex,
  SENTIMENT_BUCKETS,
  type SentimentBucket,
  sentimentIndex,
} from './buckets.js';
export { NewYorkDayClock, newYorkDay, utcDay } from './day.js';
export {
  formatMoney,
  MONEY_SCALE,
  parseFixed,
  parseMoney,
  QUANTITY_SCALE,
} from './fixed.js';
export { Lot, LotBook, type LotState } from './lot-book.js';
export { type ClosingMarks, type Mark, type MarkNote, type MarkSource, readPrice } from './marks.js';
export {
  buildPerformanceSummary,
  finiteOrNull,
  type MarkInfo,
  type PerformanceFigures,
  type PerformanceInput,
  type PerformanceSummary,
  type TradingFigures,
} from './performance.js';
export { type ReportBreakdowns, reportBreakdowns } from './report-breakdowns.js';
export {
  ANNUALIZATION_FACTORS,
  type AnnualizationOptions,
  annualizationFactor,
  annualReturn,
  annualVolatility,
  type Benchmark,
  calmarRatio,
  conditionalValueAtRisk,
  cumReturnsFinal,
  downsideRisk,
  maxDrawdown,
  type Period,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  valueAtRisk,
} from './returns.js';
export { type RiskFigures, type RiskInput, type RiskPosition, riskFigures } from './risk.js';
export {
  type LatestMark,
  type TradingDay,
  type TradingSeries,
  type TradingSeriesInput,
  tradingSeries,
} from './series.js';
export { type SyntheticOptions, syntheticTrades } from './synthetic.js';
export {
  RunningTradeStats,
  type TradeStatistics,
  type TradeStatsState,
  tradeStatistics,
} from './trade-stats.js';
export type { AnalyticsTrade, DailyReturn, PnlMethod, PortfolioHistoryPoint, PriceMap } from './types.js';
export { type OpenPosition, openPositions, type UnrealizedPnl, unrealizedPnl } from './unrealized.js';
