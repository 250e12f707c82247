import {
  type PerformanceSummary as CoreSummary,
  finiteOrNull,
  formatMoney,
  type PerformanceFigures,
  parseMoney,
  type ReportBreakdowns,
} from '@friren/analytics-core';
import type { BrokerSummary, PerformanceReport, PerformanceSummary } from '@friren/contracts';
import { OVERALL_STRATEGY, type PerformanceMetricsRow } from '@friren/db';

/** The `performance_metrics` rows: the overall one (strategy '') and one per strategy. */
export function metricRows(account: string, summary: CoreSummary): PerformanceMetricsRow[] {
  const rows = [metricRow(account, OVERALL_STRATEGY, summary.overall)];
  for (const [strategy, figures] of Object.entries(summary.strategies)) {
    rows.push(metricRow(account, strategy, figures));
  }
  return rows;
}

function metricRow(account: string, strategy: string, f: PerformanceFigures): PerformanceMetricsRow {
  return {
    account,
    strategy,
    ...contractSummary(f),
    // Exact: both are decimal strings at money scale.
    unrealized_pnl: formatMoney(parseMoney(f.total_pnl) - parseMoney(f.realized_pnl)),
  };
}

/** The docs/CONTRACT.md §5 report for the Redis hash; `version` is the state's revision. */
export function performanceReport(
  summary: CoreSummary,
  version: number,
  breakdowns: ReportBreakdowns | null = null,
): PerformanceReport {
  const strategies: Record<string, PerformanceSummary> = {};
  for (const [name, figures] of Object.entries(summary.strategies))
    strategies[name] = contractSummary(figures);
  return {
    overall: contractSummary(summary.overall),
    strategies,
    broker: summary.broker === null ? null : brokerSummary(summary.broker),
    breakdowns,
    marks: summary.marks,
    mark_notes: summary.mark_notes,
    version,
  };
}

function brokerSummary(b: NonNullable<CoreSummary['broker']>): BrokerSummary {
  return {
    source: b.source,
    from: b.from,
    to: b.to,
    days: b.days,
    live_today: b.live_today,
    equity: b.equity,
    total_return_pct: finiteOrNull(b.total_return_pct),
    sharpe_ratio: finiteOrNull(b.sharpe_ratio),
    sortino_ratio: finiteOrNull(b.sortino_ratio),
    max_drawdown_pct: finiteOrNull(b.max_drawdown_pct),
    calmar_ratio: finiteOrNull(b.calmar_ratio),
  };
}

function contractSummary(f: PerformanceFigures): PerformanceSummary {
  return {
    total_pnl: f.total_pnl,
    realized_pnl: f.realized_pnl,
    total_return_pct: finiteOrNull(f.total_return_pct),
    sharpe_ratio: finiteOrNull(f.sharpe_ratio),
    sortino_ratio: finiteOrNull(f.sortino_ratio),
    max_drawdown_pct: finiteOrNull(f.max_drawdown_pct),
    calmar_ratio: finiteOrNull(f.calmar_ratio),
    win_rate_pct: finiteOrNull(f.win_rate_pct),
    profit_factor: finiteOrNull(f.profit_factor),
    expectancy: f.expectancy,
    trades_count: f.trades_count,
    as_of: f.as_of,
  };
}
