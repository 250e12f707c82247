import type { PerformanceSummary } from '@friren/analytics-core';
import { Counter, Gauge, Histogram, type Registry } from '@friren/observability';

/**
 * The `strategy` label of account-wide series. Prometheus cannot tell an empty label from a missing
 * one, so the database's '' becomes '*' here (a strategy literally named '*' would share its series).
 */
export const OVERALL_LABEL = '*';

export interface AnalyticsMetrics {
  /** Sets the per-account and per-strategy gauges from a fresh summary. */
  observe(account: string, summary: PerformanceSummary): void;
  readonly recomputeSeconds: Histogram<'mode'>;
  readonly tradesFolded: Counter<'account'>;
  readonly recomputeFailures: Counter<'account'>;
  readonly rebuilds: Counter<'account' | 'reason'>;
  readonly missingPrices: Gauge<'account'>;
}

export function createAnalyticsMetrics(registry: Registry): AnalyticsMetrics {
  const registers = [registry];
  const labelNames = ['account', 'strategy'] as const;
  const pnl = new Gauge({
    name: 'friren_pnl_total',
    help: `Total P&L (realized + unrealized at the latest position prices), account currency; strategy="${OVERALL_LABEL}" is the whole account`,
    labelNames,
    registers,
  });
  const sharpe = new Gauge({
    name: 'friren_sharpe_ratio',
    help: 'Annualised Sharpe ratio of daily returns (252 days, risk-free 0); NaN with fewer than 2 days',
    labelNames,
    registers,
  });
  const drawdown = new Gauge({
    name: 'friren_max_drawdown_ratio',
    help: 'Largest peak-to-trough fall of the compounded daily returns, as a ratio (≤ 0)',
    labelNames,
    registers,
  });
  const winRate = new Gauge({
    name: 'friren_win_rate_ratio',
    help: 'Winning closing fills / all closing fills',
    labelNames,
    registers,
  });
  const profitFactor = new Gauge({
    name: 'friren_profit_factor',
    help: 'Gross profit / |gross loss| of closing fills (+Inf without losses)',
    labelNames,
    registers,
  });

  function set(account: string, strategy: string, f: PerformanceSummary['overall']): void {
    const labels = { account, strategy };
    pnl.set(labels, Number(f.total_pnl));
    sharpe.set(labels, f.sharpe_ratio);
    drawdown.set(labels, f.max_drawdown_pct / 100);
    winRate.set(labels, f.win_rate_pct / 100);
    profitFactor.set(labels, f.profit_factor);
  }

  return {
    observe(account, summary) {
      set(account, OVERALL_LABEL, summary.overall);
      for (const [strategy, figures] of Object.entries(summary.strategies)) set(account, strategy, figures);
      this.missingPrices.set({ account }, summary.missing_prices.length);
    },
    recomputeSeconds: new Histogram({
      name: 'friren_analytics_recompute_duration_seconds',
      help: 'One recompute of one account: incremental, or a full rebuild from the ledger',
      labelNames: ['mode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    tradesFolded: new Counter({
      name: 'friren_analytics_trades_folded_total',
      help: 'Ledger trades folded into the analytics state (a rebuild folds them again)',
      labelNames: ['account'],
      registers,
    }),
    recomputeFailures: new Counter({
      name: 'friren_analytics_recompute_failures_total',
      help: 'Recomputes that failed (rolled back; the job is retried)',
      labelNames: ['account'],
      registers,
    }),
    rebuilds: new Counter({
      name: 'friren_analytics_rebuilds_total',
      help: 'Full rebuilds from the ledger, by reason (first run, pnl_method change, late trade, request)',
      labelNames: ['account', 'reason'],
      registers,
    }),
    missingPrices: new Gauge({
      name: 'friren_analytics_missing_prices',
      help: 'Symbols with open lots but no current price in the positions snapshot (left out of unrealized P&L)',
      labelNames: ['account'],
      registers,
    }),
  };
}
