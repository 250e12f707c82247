import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { buildPerformanceSummary, finiteOrNull } from './performance.js';
import { cumReturnsFinal, maxDrawdown, sharpeRatio, sortinoRatio } from './returns.js';
import type { AnalyticsTrade, PortfolioHistoryPoint } from './types.js';

const FIELDS = [
  'total_pnl',
  'realized_pnl',
  'total_return_pct',
  'sharpe_ratio',
  'sortino_ratio',
  'max_drawdown_pct',
  'calmar_ratio',
  'win_rate_pct',
  'profit_factor',
  'expectancy',
  'trades_count',
  'as_of',
];

let n = 0;
const t = (p: Partial<AnalyticsTrade>): AnalyticsTrade => ({
  trade_id: `p${++n}`,
  account: 'acct',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '10',
  price: '100',
  fees: '0',
  timestamp: '2024-01-02T15:00:00Z',
  strategy_used: 'mom',
  ...p,
});

const history: PortfolioHistoryPoint[] = [
  { date: '2024-01-02', equity: '100000', profit_loss_pct: 0.001 },
  { date: '2024-01-03', equity: '99000', profit_loss_pct: -0.01 },
  { date: '2024-01-04', equity: '100485', profit_loss_pct: 0.015 },
];

describe('performance summary', () => {
  it('gives the contract names overall and per strategy', () => {
    const acc = new AnalyticsAccumulator();
    acc.addAll([
      t({}),
      t({ side: 'sell', quantity: '4', price: '110', fees: '1' }), // 4 × 10 − 1 = +39, day 1
      t({
        side: 'sell',
        quantity: '2',
        price: '90',
        strategy_used: 'rev',
        timestamp: '2024-01-03T15:00:00Z',
      }), // −20
      t({ symbol: 'TSLA', side: 'sell', quantity: '1', price: '200', strategy_used: 'rev' }), // short opened by rev
    ]);
    const summary = buildPerformanceSummary(acc, {
      prices: { AAPL: '105', TSLA: '190' },
      history,
      asOf: '2024-01-04T21:00:00.000Z',
    });
    expect(Object.keys(summary.overall)).toEqual(FIELDS);
    expect(Object.keys(summary.strategies).sort()).toEqual(['mom', 'rev']);
    for (const s of Object.values(summary.strategies)) expect(Object.keys(s)).toEqual(FIELDS);

    // Unrealized: AAPL 4 left at cost 400 → 420 − 400 = 20 (mom); TSLA −1 at −200 → −190 + 200 = 10 (rev).
    expect(summary.unrealized_pnl).toBe('30');
    expect(summary.overall).toMatchObject({
      realized_pnl: '19',
      total_pnl: '49',
      trades_count: 4,
      win_rate_pct: 50,
      profit_factor: 39 / 20,
      expectancy: '9.5',
      as_of: '2024-01-04T21:00:00.000Z',
    });
    const account = [0.001, -0.01, 0.015];
    expect(summary.overall.sharpe_ratio).toBe(sharpeRatio(account));
    expect(summary.overall.sortino_ratio).toBe(sortinoRatio(account));
    expect(summary.overall.total_return_pct).toBe(cumReturnsFinal(account) * 100);
    expect(summary.overall.max_drawdown_pct).toBe(maxDrawdown(account) * 100);

    expect(summary.strategies['mom']).toMatchObject({ realized_pnl: '39', total_pnl: '59', trades_count: 2 });
    expect(summary.strategies['rev']).toMatchObject({
      realized_pnl: '-20',
      total_pnl: '-10',
      trades_count: 2,
    });
    // rev's days: 0 on the 2nd; −20 / 100000 (start of the 3rd = close of the 2nd); 0.
    const rev = [0, -20 / 100000, 0];
    expect(summary.strategies['rev']!.sharpe_ratio).toBe(sharpeRatio(rev));
    expect(summary.strategies['rev']!.max_drawdown_pct).toBeCloseTo(-0.02, 12);
    expect(summary.strategies['mom']!.win_rate_pct).toBe(100);
    expect(summary.strategies['mom']!.profit_factor).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports a missing price instead of guessing', () => {
    const acc = new AnalyticsAccumulator().addAll([t({})]);
    const summary = buildPerformanceSummary(acc, { prices: {}, history: [], asOf: 'x' });
    expect(summary.missing_prices).toEqual(['AAPL']);
    expect(summary.overall.total_pnl).toBe('0');
    expect(summary.overall.sharpe_ratio).toBeNaN();
    expect(finiteOrNull(summary.overall.sharpe_ratio)).toBeNull();
    expect(finiteOrNull(1.5)).toBe(1.5);
  });
});
