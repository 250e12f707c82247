import type { AnalyticsAccumulator } from './accumulator.js';
import { type AccountReturnSource, accountDailyReturns, strategyDailyReturns } from './daily-returns.js';
import { formatMoney } from './fixed.js';
import {
  type AnnualizationOptions,
  type Benchmark,
  calmarRatio,
  cumReturnsFinal,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from './returns.js';
import { type RunningTradeStats, tradeStatistics } from './trade-stats.js';
import type { PortfolioHistoryPoint, PriceMap } from './types.js';
import { unrealizedPnl } from './unrealized.js';

/** The docs/CONTRACT.md §5 figures of one scope. Non-finite ratios stay NaN/±Infinity here; the JSON, Redis
 * and HTTP layer writes them as `null`. */
export interface PerformanceFigures {
  /** realized + unrealized, exact decimal string. */
  readonly total_pnl: string;
  readonly realized_pnl: string;
  /** (Π(1 + r) − 1) × 100 over the scope's daily returns. */
  readonly total_return_pct: number;
  readonly sharpe_ratio: number;
  readonly sortino_ratio: number;
  /** maxDrawdown × 100: ≤ 0. */
  readonly max_drawdown_pct: number;
  readonly calmar_ratio: number;
  readonly win_rate_pct: number;
  readonly profit_factor: number;
  /** Realized P&L per closing fill; `'0'` with none. */
  readonly expectancy: string;
  /** Fills of the scope (opening and closing). */
  readonly trades_count: number;
  readonly as_of: string;
}

export interface PerformanceSummary {
  readonly account: string | null;
  readonly overall: PerformanceFigures;
  readonly strategies: Readonly<Record<string, PerformanceFigures>>;
  /** Of the overall figure; by strategy it is inside each `total_pnl`. */
  readonly unrealized_pnl: string;
  /** Symbols with open lots and no current price: their unrealized P&L is missing from the totals. */
  readonly missing_prices: readonly string[];
}

export interface PerformanceInput {
  /** Current prices by symbol (decimal strings). */
  readonly prices: PriceMap;
  /** The broker's daily portfolio history. */
  readonly history: readonly PortfolioHistoryPoint[];
  /** ISO-8601 time the figures are computed at. */
  readonly asOf: string;
  /** Where overall daily returns come from; default `profit_loss_pct`. */
  readonly accountReturns?: AccountReturnSource;
  /** Per-period risk-free rate for Sharpe (constant: series lengths differ between scopes). */
  readonly riskFree?: number;
  /** Per-period required return for Sortino. */
  readonly requiredReturn?: number;
  readonly annualization?: AnnualizationOptions;
}

/**
 * The performance summary overall and per strategy. Overall ratios use the account's daily returns
 * from the broker; a strategy's use its own daily returns (its realized P&L that day / account
 * equity at the start of that day, see `strategyDailyReturns`).
 */
export function buildPerformanceSummary(
  accumulator: AnalyticsAccumulator,
  input: PerformanceInput,
): PerformanceSummary {
  const unrealized = unrealizedPnl(accumulator, input.prices);
  const accountReturns = accountDailyReturns(input.history, input.accountReturns).map((d) => d.return);
  const strategyReturns = strategyDailyReturns(accumulator, input.history);
  const strategies: Record<string, PerformanceFigures> = {};
  for (const [name, s] of accumulator.strategies) {
    const returns = (strategyReturns.get(name) ?? []).map((d) => d.return);
    strategies[name] = figures(s.stats, unrealized.byStrategy.get(name) ?? 0n, returns, s.fills, input);
  }
  return {
    account: accumulator.account,
    overall: figures(accumulator.overall, unrealized.total, accountReturns, accumulator.fills, input),
    strategies,
    unrealized_pnl: formatMoney(unrealized.total),
    missing_prices: unrealized.missingPrices,
  };
}

function figures(
  stats: RunningTradeStats,
  unrealized: bigint,
  returns: readonly number[],
  fills: number,
  input: PerformanceInput,
): PerformanceFigures {
  const t = tradeStatistics(stats, unrealized);
  const riskFree: Benchmark = input.riskFree ?? 0;
  const required: Benchmark = input.requiredReturn ?? 0;
  return {
    total_pnl: t.total_pnl ?? t.realized_pnl,
    realized_pnl: t.realized_pnl,
    total_return_pct: cumReturnsFinal(returns) * 100,
    sharpe_ratio: sharpeRatio(returns, riskFree, input.annualization),
    sortino_ratio: sortinoRatio(returns, required, input.annualization),
    max_drawdown_pct: maxDrawdown(returns) * 100,
    calmar_ratio: calmarRatio(returns, input.annualization),
    win_rate_pct: t.win_rate_pct,
    profit_factor: t.profit_factor,
    expectancy: t.expectancy,
    trades_count: fills,
    as_of: input.asOf,
  };
}

/** NaN and ±Infinity as `null`, for JSON / Redis / HTTP. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
