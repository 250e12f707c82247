import type { PerformanceSummary, TradingFigures } from '@friren/analytics-core';
import { createMetrics } from '@friren/observability';
import { describe, expect, it } from 'vitest';
import { createAnalyticsMetrics } from './metrics.js';
import { analyticsSettingsFromEnv } from './settings.js';

function figures(total_pnl: string, trades_count = 1): TradingFigures {
  return {
    total_pnl,
    realized_pnl: total_pnl,
    total_return_pct: Number.NaN,
    sharpe_ratio: 1.5,
    sortino_ratio: Number.NaN,
    max_drawdown_pct: -10,
    calmar_ratio: Number.NaN,
    win_rate_pct: 50,
    profit_factor: 2,
    expectancy: '0',
    trades_count,
    as_of: '2026-12-04T00:00:00.000Z',
    unrealized_pnl: '0',
    from: null,
    to: null,
    days: 0,
  };
}

function summary(overall: string, strategies: Record<string, TradingFigures>): PerformanceSummary {
  return {
    account: 'a',
    overall: figures(overall),
    strategies,
    broker: null,
    unrealized_pnl: '0',
    marks: {},
    missing_prices: [],
    mark_notes: [],
    series: {
      days: [],
      strategies: new Map(),
      total: [],
      unrealized: { account: 0n, byStrategy: new Map(), bySymbol: new Map() },
      marks: new Map(),
      notes: [],
    },
  };
}

function setup(maxStrategies?: number) {
  const { registry } = createMetrics({ defaultMetrics: false });
  const metrics = createAnalyticsMetrics(registry, maxStrategies === undefined ? {} : { maxStrategies });
  return { registry, metrics };
}

/** The exported `friren_pnl_total` samples as `labels → value`. */
async function pnlSeries(registry: ReturnType<typeof setup>['registry']): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('friren_pnl_total')?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [
      Object.entries(v.labels)
        .map(([k, x]) => `${k}=${x}`)
        .join(','),
      v.value,
    ]),
  );
}

describe('analytics gauges', () => {
  it('keeps a strategy named "*" (or "other") apart from the account-wide series', async () => {
    const { registry, metrics } = setup();
    metrics.observe(
      'a',
      summary('100', { '*': figures('-7'), other: figures('3'), momentum: figures('104') }),
    );
    expect(await pnlSeries(registry)).toEqual({
      'account=a,scope=account': 100,
      'account=a,scope=strategy,strategy=momentum': 104,
      'account=a,scope=strategy,strategy=*': -7,
      'account=a,scope=strategy,strategy=other': 3,
    });
    const text = await registry.metrics();
    expect(text).toContain('friren_sharpe_ratio{account="a",scope="account"} 1.5');
    expect(text).toContain('friren_max_drawdown_ratio{account="a",scope="strategy",strategy="*"} -0.1');
  });

  it('exports the N strategies with the largest |P&L| and sums the rest into scope="other"', async () => {
    const { registry, metrics } = setup(2);
    // |P&L|: big-loss 50, winner 40, tie-many 5 (3 trades), tie-few 5 (1 trade), flat 0.25.
    metrics.observe(
      'a',
      summary('40.25', {
        winner: figures('40'),
        'big-loss': figures('-50'),
        'tie-few': figures('5', 1),
        'tie-many': figures('-5', 3),
        flat: figures('0.25'),
      }),
    );
    expect(await pnlSeries(registry)).toEqual({
      'account=a,scope=account': 40.25,
      'account=a,scope=strategy,strategy=big-loss': -50,
      'account=a,scope=strategy,strategy=winner': 40,
      // tie-few 5 + tie-many −5 + flat 0.25, exactly.
      'account=a,scope=other': 0.25,
    });
    const text = await registry.metrics();
    expect(text).toContain('friren_analytics_strategies{account="a"} 5');
    expect(text.match(/friren_sharpe_ratio\{/g)).toHaveLength(3);

    // A strategy that drops out of the top N loses its series; with room for all, "other" goes.
    metrics.observe('a', summary('1', { winner: figures('1'), 'tie-many': figures('-5', 3) }));
    expect(await pnlSeries(registry)).toEqual({
      'account=a,scope=account': 1,
      'account=a,scope=strategy,strategy=tie-many': -5,
      'account=a,scope=strategy,strategy=winner': 1,
    });
    expect((await registry.metrics()).match(/friren_profit_factor\{/g)).toHaveLength(3);
  });

  it('stays small with 1,000 strategies over 5,000 symbols: no per-symbol series, 20 strategies by default', async () => {
    const { registry, metrics } = setup();
    const strategies: Record<string, TradingFigures> = {};
    for (let i = 0; i < 1000; i++) strategies[`strategy-${i}`] = figures(String(i), 5);
    const missing = Array.from({ length: 5000 }, (_, i) => `SYM${i}`);
    metrics.observe('a', { ...summary('1', strategies), missing_prices: missing });
    const text = await registry.metrics();
    expect(Object.keys(await pnlSeries(registry))).toHaveLength(1 + 20 + 1);
    expect(text).toContain('friren_pnl_total{account="a",scope="strategy",strategy="strategy-999"} 999');
    expect(text).not.toContain('strategy="strategy-979"');
    // 0 + 1 + … + 979
    expect(text).toContain('friren_pnl_total{account="a",scope="other"} 479710');
    expect(text).toContain('friren_analytics_missing_prices{account="a"} 5000');
    expect(text).not.toMatch(/symbol=|SYM\d/);
    expect(Buffer.byteLength(text)).toBeLessThan(12_000);
  });

  it('takes the bound from ANALYTICS_METRICS_MAX_STRATEGIES, 20 by default', () => {
    expect(analyticsSettingsFromEnv({}).metricsMaxStrategies).toBe(20);
    expect(analyticsSettingsFromEnv({ ANALYTICS_METRICS_MAX_STRATEGIES: '5' }).metricsMaxStrategies).toBe(5);
    expect(() => analyticsSettingsFromEnv({ ANALYTICS_METRICS_MAX_STRATEGIES: '-1' })).toThrow(
      /ANALYTICS_METRICS_MAX_STRATEGIES/,
    );
  });
});
