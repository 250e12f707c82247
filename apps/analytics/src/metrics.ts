import type { PerformanceFigures, PerformanceSummary } from '@friren/analytics-core';
import { Counter, Gauge, Histogram, type Registry } from '@friren/observability';
import { selectStrategies } from './strategy-selection.js';

/**
 * The `scope` label of the performance gauges. Account-wide series carry no `strategy` label, and
 * the sum of the strategies beyond the bound carries none either, so no strategy name (not `*`,
 * not `other`) can share a series with them.
 */
export const SCOPE = { account: 'account', strategy: 'strategy', other: 'other', broker: 'broker' } as const;

export const DEFAULT_METRICS_MAX_STRATEGIES = 20;

export interface AnalyticsMetricsOptions {
  /** Strategies per account with series of their own (largest |P&L| first); the rest sum into `scope="other"`. */
  readonly maxStrategies?: number;
}

export interface AnalyticsMetrics {
  /** Sets the per-account and per-strategy gauges from a fresh summary (and drops stale strategy series). */
  observe(account: string, summary: PerformanceSummary): void;
  readonly recomputeSeconds: Histogram<'mode'>;
  readonly tradesFolded: Counter<'account'>;
  readonly recomputeFailures: Counter<'account'>;
  /** 1 while the account's latest recompute failed, 0 once one succeeds. */
  readonly recomputeFailing: Gauge<'account'>;
  /** Publishes that found a hash whose version was ahead of the database's revision (and replaced it). */
  readonly hashAhead: Counter<'account'>;
  readonly rebuilds: Counter<'account' | 'reason'>;
  readonly missingPrices: Gauge<'account'>;
}

type PerformanceLabel = 'account' | 'scope' | 'strategy';

export function createAnalyticsMetrics(
  registry: Registry,
  opts: AnalyticsMetricsOptions = {},
): AnalyticsMetrics {
  const maxStrategies = opts.maxStrategies ?? DEFAULT_METRICS_MAX_STRATEGIES;
  const registers = [registry];
  const labelNames = ['account', 'scope', 'strategy'] as const;
  const scopes =
    'trading by strategy (ledger): scope="account" all strategies together, scope="strategy" one strategy (label strategy); account (broker): scope="broker", from the broker\'s equity history (friren_broker_figures_info says which broker)';
  const pnl = new Gauge<PerformanceLabel>({
    name: 'friren_pnl_total',
    help: `Total P&L (realized + unrealized at the latest position prices), account currency; ${scopes}, scope="other" the sum of the strategies beyond the exported ones`,
    labelNames,
    registers,
  });
  const sharpe = new Gauge<PerformanceLabel>({
    name: 'friren_sharpe_ratio',
    help: `Annualised Sharpe ratio of daily returns (252 days, risk-free 0); NaN with fewer than 2 days; ${scopes}`,
    labelNames,
    registers,
  });
  const drawdown = new Gauge<PerformanceLabel>({
    name: 'friren_max_drawdown_ratio',
    help: `Largest peak-to-trough fall of the compounded daily returns, as a ratio (≤ 0); ${scopes}`,
    labelNames,
    registers,
  });
  const winRate = new Gauge<PerformanceLabel>({
    name: 'friren_win_rate_ratio',
    help: `Winning closing fills / all closing fills; ${scopes}`,
    labelNames,
    registers,
  });
  const profitFactor = new Gauge<PerformanceLabel>({
    name: 'friren_profit_factor',
    help: `Gross profit / |gross loss| of closing fills (+Inf without losses); ${scopes}`,
    labelNames,
    registers,
  });
  const strategiesGauge = new Gauge({
    name: 'friren_analytics_strategies',
    help: 'Strategies of the account with figures; at most ANALYTICS_METRICS_MAX_STRATEGIES of them have series of their own',
    labelNames: ['account'],
    registers,
  });
  const brokerInfo = new Gauge({
    name: 'friren_broker_figures_info',
    help: 'Where the scope="broker" figures come from: 1 for the source in use (alpaca, or simulator in the demo)',
    labelNames: ['account', 'source'],
    registers,
  });
  const figureGauges = [pnl, sharpe, drawdown, winRate, profitFactor];
  /** The strategy series each account exports now, so the ones that drop out are removed. */
  const exported = new Map<string, Set<string>>();

  function set(labels: Partial<Record<PerformanceLabel, string>>, f: PerformanceFigures): void {
    pnl.set(labels, Number(f.total_pnl));
    sharpe.set(labels, f.sharpe_ratio);
    drawdown.set(labels, f.max_drawdown_pct / 100);
    winRate.set(labels, f.win_rate_pct / 100);
    profitFactor.set(labels, f.profit_factor);
  }

  const metrics: AnalyticsMetrics = {
    observe(account, summary) {
      set({ account, scope: SCOPE.account }, summary.overall);
      const selection = selectStrategies(summary.strategies, maxStrategies);
      const now = new Set<string>();
      for (const [strategy, figures] of selection.shown) {
        set({ account, scope: SCOPE.strategy, strategy }, figures);
        now.add(strategy);
      }
      for (const strategy of exported.get(account) ?? []) {
        if (now.has(strategy)) continue;
        for (const g of figureGauges) g.remove({ account, scope: SCOPE.strategy, strategy });
      }
      exported.set(account, now);
      if (selection.others > 0) pnl.set({ account, scope: SCOPE.other }, Number(selection.othersPnl));
      else pnl.remove({ account, scope: SCOPE.other });
      const broker = summary.broker;
      brokerInfo.reset();
      if (broker !== null) {
        sharpe.set({ account, scope: SCOPE.broker }, broker.sharpe_ratio);
        drawdown.set({ account, scope: SCOPE.broker }, broker.max_drawdown_pct / 100);
        brokerInfo.set({ account, source: broker.source }, 1);
      }
      strategiesGauge.set({ account }, Object.keys(summary.strategies).length);
      metrics.missingPrices.set({ account }, summary.missing_prices.length);
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
      help: 'Recomputes that failed, at any step (the job is retried)',
      labelNames: ['account'],
      registers,
    }),
    recomputeFailing: new Gauge({
      name: 'friren_analytics_recompute_failing',
      help: "1 while the account's latest recompute failed (its figures are not current), 0 after a success",
      labelNames: ['account'],
      registers,
    }),
    hashAhead: new Counter({
      name: 'friren_analytics_hash_ahead_total',
      help: 'Publishes refused by a performance hash whose version was ahead of the database revision; the hash was replaced',
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
      help: 'Symbols held without a broker price in the positions snapshot (marked at their last fill instead)',
      labelNames: ['account'],
      registers,
    }),
  };
  return metrics;
}
