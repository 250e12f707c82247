import { type BrokerFigures, type BrokerSource, brokerFigures, returnFigures } from './account-figures.js';
import type { AnalyticsAccumulator } from './accumulator.js';
import { newYorkDay } from './day.js';
import { formatFixed, formatMoney, QUANTITY_SCALE } from './fixed.js';
import type { ClosingMarks, MarkNote, MarkSource } from './marks.js';
import type { AnnualizationOptions } from './returns.js';
import { type TradingDay, type TradingSeries, tradingSeries } from './series.js';
import { type RunningTradeStats, tradeStatistics } from './trade-stats.js';
import type { PortfolioHistoryPoint, PriceMap } from './types.js';

/**
 * The docs/CONTRACT.md §5 figures of one ledger scope (a strategy, or all of them). Non-finite ratios
 * stay NaN/±Infinity here; the JSON, Redis and HTTP layer writes them as `null`.
 */
export interface PerformanceFigures {
  /** realized + unrealized, exact decimal string. */
  readonly total_pnl: string;
  readonly realized_pnl: string;
  /** (Π(1 + r) − 1) × 100 over the scope's daily contribution returns. */
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

/** A ledger scope's figures with the span of its daily series. */
export interface TradingFigures extends PerformanceFigures {
  readonly unrealized_pnl: string;
  /** First and last day of its daily returns, and how many (null/0 before any fill). */
  readonly from: string | null;
  readonly to: string | null;
  readonly days: number;
}

export interface MarkInfo {
  readonly date: string;
  readonly price: string;
  readonly source: MarkSource;
}

export interface PerformanceSummary {
  readonly account: string | null;
  /**
   * Trading by strategy (ledger): all strategies together. Realized P&L and the trade statistics
   * are the account's lots (FIFO / average across strategies, as the broker and a tax report see
   * them); total P&L equals the sum of the strategies' (same marks); returns are the daily
   * trading P&L over the equity at the previous close.
   */
  readonly overall: TradingFigures;
  /** Per strategy, on its own lots. */
  readonly strategies: Readonly<Record<string, TradingFigures>>;
  /** The account as the broker reports it (equity history and today's snapshot); null without any. */
  readonly broker: BrokerFigures | null;
  /** Of the account's lots, at the latest marks. */
  readonly unrealized_pnl: string;
  /** Marks of the symbols held at the end of the last day. */
  readonly marks: Readonly<Record<string, MarkInfo>>;
  /** Symbols held now that are marked at their last fill, not by the broker. */
  readonly missing_prices: readonly string[];
  /** Where the broker's mark was missing or bad while the account held the symbol. */
  readonly mark_notes: readonly MarkNote[];
  /** The daily series behind the ledger figures (for the daily rows). */
  readonly series: TradingSeries;
}

export interface PerformanceInput {
  /** Live prices by symbol (the positions' `current_price`): today's marks. */
  readonly prices: PriceMap;
  /** The broker's daily portfolio history. */
  readonly history: readonly PortfolioHistoryPoint[];
  /** ISO-8601 time the figures are computed at; its New York date is today. */
  readonly asOf: string;
  /** Recorded broker marks per (symbol, New York day) for past days. */
  readonly closes?: ClosingMarks;
  /** The broker's account snapshot now. */
  readonly account?: { readonly equity: string; readonly lastEquity: string };
  readonly source?: BrokerSource;
  /** Per-period risk-free rate for Sharpe (constant: series lengths differ between scopes). */
  readonly riskFree?: number;
  /** Per-period required return for Sortino. */
  readonly requiredReturn?: number;
  readonly annualization?: AnnualizationOptions;
}

function todayOf(asOf: string): string | undefined {
  try {
    return newYorkDay(asOf);
  } catch {
    return undefined;
  }
}

/**
 * Two separate groups: the account as the broker reports it (`broker`), and trading by strategy
 * from the ledger (`overall`, `strategies`), each strategy on its own lots, with daily P&L at the
 * day's marks over the account equity at the previous close.
 */
export function buildPerformanceSummary(
  accumulator: AnalyticsAccumulator,
  input: PerformanceInput,
): PerformanceSummary {
  const today = todayOf(input.asOf);
  const lastEquity = input.account?.lastEquity;
  const series = tradingSeries(accumulator, {
    history: input.history,
    ...(input.closes === undefined ? {} : { closes: input.closes }),
    ...(today === undefined
      ? {}
      : {
          live: { date: today, prices: input.prices, ...(lastEquity === undefined ? {} : { lastEquity }) },
        }),
  });
  const strategies: Record<string, TradingFigures> = {};
  for (const [name, s] of accumulator.strategies) {
    strategies[name] = figures(
      s.stats,
      series.unrealized.byStrategy.get(name) ?? 0n,
      series.strategies.get(name) ?? [],
      s.fills,
      input,
    );
  }
  const hasBroker = input.history.length > 0 || input.account !== undefined;
  const marks: Record<string, MarkInfo> = {};
  for (const [symbol, m] of series.marks) {
    marks[symbol] = { date: m.date, price: formatFixed(m.price, QUANTITY_SCALE), source: m.source };
  }
  return {
    account: accumulator.account,
    overall: figures(accumulator.overall, series.unrealized.account, series.total, accumulator.fills, input),
    strategies,
    broker: hasBroker
      ? brokerFigures({
          history: input.history,
          ...(input.account !== undefined && today !== undefined
            ? { live: { date: today, equity: input.account.equity, lastEquity: input.account.lastEquity } }
            : {}),
          ...(input.source === undefined ? {} : { source: input.source }),
          ...options(input),
        })
      : null,
    unrealized_pnl: formatMoney(series.unrealized.account),
    marks,
    missing_prices: [...series.marks].filter(([, m]) => m.source !== 'broker').map(([s]) => s),
    mark_notes: series.notes,
    series,
  };
}

function options(
  input: PerformanceInput,
): Pick<PerformanceInput, 'riskFree' | 'requiredReturn' | 'annualization'> {
  return {
    ...(input.riskFree === undefined ? {} : { riskFree: input.riskFree }),
    ...(input.requiredReturn === undefined ? {} : { requiredReturn: input.requiredReturn }),
    ...(input.annualization === undefined ? {} : { annualization: input.annualization }),
  };
}

function figures(
  stats: RunningTradeStats,
  unrealized: bigint,
  series: readonly TradingDay[],
  fills: number,
  input: PerformanceInput,
): TradingFigures {
  const t = tradeStatistics(stats, unrealized);
  return {
    total_pnl: t.total_pnl ?? t.realized_pnl,
    realized_pnl: t.realized_pnl,
    ...returnFigures(
      series.map((d) => d.return),
      options(input),
    ),
    win_rate_pct: t.win_rate_pct,
    profit_factor: t.profit_factor,
    expectancy: t.expectancy,
    trades_count: fills,
    as_of: input.asOf,
    unrealized_pnl: formatMoney(unrealized),
    from: series[0]?.date ?? null,
    to: series.at(-1)?.date ?? null,
    days: series.length,
  };
}

/** NaN and ±Infinity as `null`, for JSON / Redis / HTTP. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
