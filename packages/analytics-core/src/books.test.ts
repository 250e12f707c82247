import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { formatMoney } from './fixed.js';
import { buildPerformanceSummary } from './performance.js';
import { tradingSeries } from './series.js';
import type { AnalyticsTrade, PortfolioHistoryPoint } from './types.js';

let n = 0;
const fill = (strategy: string, signed: number, price: string, date: string): AnalyticsTrade => ({
  id: String(++n),
  trade_id: `w${n}`,
  account: 'acct',
  symbol: 'XYZ',
  side: signed > 0 ? 'buy' : 'sell',
  quantity: String(Math.abs(signed)),
  price,
  fees: '0',
  timestamp: `${date}T15:00:00Z`,
  strategy_used: strategy,
});

const [D1, D2, D3] = ['2024-03-04', '2024-03-05', '2024-03-06'];
// Equity 100,000 at every close, the Friday before as the base day.
const history: PortfolioHistoryPoint[] = ['2024-03-01', D1, D2, D3].map((date) => ({
  date,
  equity: '100000',
  profit_loss_pct: 0,
}));
const closes = new Map([
  [
    'XYZ',
    new Map([
      [D1, '101'],
      [D2, '110'],
      [D3, '104'],
    ]),
  ],
]);
const money = (x: bigint) => formatMoney(x);

describe('worked example: two strategies, one symbol, their own books', () => {
  const acc = new AnalyticsAccumulator();
  // Account FIFO: B's sell closes 5 of A's lot (+50), A's sell the rest of it and B's lot (+25 + 15).
  const accountRealized = [
    acc.add(fill('A', 10, '100', D1)),
    acc.add(fill('B', 5, '102', D1)),
    acc.add(fill('B', -5, '110', D2)),
    acc.add(fill('A', -10, '105', D3)),
  ].map((r) => (r === null ? null : money(r)));

  it('the account book realizes 50 on day 2 and 40 on day 3', () => {
    expect(accountRealized).toEqual([null, null, '50', '40']);
    expect(money(acc.realized)).toBe('90');
  });

  it('each strategy realizes its own round trip: A 50, B 40 (the closing-fill rule gave A 40, B 50)', () => {
    expect(money(acc.strategies.get('A')!.stats.realized)).toBe('50');
    expect(money(acc.strategies.get('B')!.stats.realized)).toBe('40');
  });

  it('daily P&L at the closing marks: A 10, 90, −50; B −5, 45, 0', () => {
    const s = tradingSeries(acc, { history, closes });
    expect(s.strategies.get('A')!.map((d) => [d.date, money(d.pnl), money(d.realized)])).toEqual([
      [D1, '10', '0'],
      [D2, '90', '0'],
      [D3, '-50', '50'],
    ]);
    expect(s.strategies.get('B')!.map((d) => [d.date, money(d.pnl), money(d.realized)])).toEqual([
      [D1, '-5', '0'],
      [D2, '45', '40'],
      [D3, '0', '0'],
    ]);
    expect(s.strategies.get('A')!.map((d) => d.return)).toEqual([0.0001, 0.0009, -0.0005]);
    expect(s.strategies.get('B')!.map((d) => d.return)).toEqual([-0.00005, 0.00045, 0]);
    expect(s.total.map((d) => money(d.pnl))).toEqual(['5', '135', '-50']);
    expect(s.notes).toEqual([]);
  });

  it('figures: Sharpe, Sortino and max drawdown of the contribution returns', () => {
    const summary = buildPerformanceSummary(acc, {
      prices: {},
      history,
      closes,
      asOf: `${D3}T21:30:00.000Z`,
    });
    const a = summary.strategies['A']!;
    const b = summary.strategies['B']!;
    // Checked apart from this code (python3, textbook formulas, ddof 1 for Sharpe).
    expect(a.sharpe_ratio).toBeCloseTo(3.766854018, 9);
    expect(a.sortino_ratio).toBeCloseTo(9.16515139, 8);
    expect(a.max_drawdown_pct / 100).toBeCloseTo(-0.0005, 12);
    expect(b.sharpe_ratio).toBeCloseTo(7.686151383, 9);
    expect(b.sortino_ratio).toBeCloseTo(73.32121112, 8);
    expect(b.max_drawdown_pct / 100).toBeCloseTo(-0.00005, 12);
    expect([a.realized_pnl, a.total_pnl, b.realized_pnl, b.total_pnl]).toEqual(['50', '50', '40', '40']);
    expect([a.from, a.to, a.days]).toEqual([D1, D3, 3]);
    expect(summary.overall).toMatchObject({ realized_pnl: '90', total_pnl: '90', trades_count: 4 });
    // The broker group: three returns after the base day, all 0 here.
    expect(summary.broker).toMatchObject({ from: D1, to: D3, days: 3, total_return_pct: 0 });
  });
});

describe('report breakdowns', () => {
  it('by symbol, sentiment and confidence of the account’s closing fills, and the open risk', async () => {
    const { reportBreakdowns } = await import('./report-breakdowns.js');
    const acc = new AnalyticsAccumulator().addAll([
      fill('A', 10, '100', D1),
      { ...fill('B', -4, '110', D2), finbert_sentiment: 0.5, confidence_score: 0.9 }, // account +40
    ]);
    const summary = buildPerformanceSummary(acc, { prices: {}, history, closes, asOf: `${D2}T21:30:00Z` });
    const r = reportBreakdowns(acc, summary, '100000', [-0.02, 0.01, 0.03, -0.01]);
    expect(r.by_symbol['XYZ']).toMatchObject({ closing_trades: 1, realized_pnl: '40', unrealized_pnl: '60' });
    expect(r.by_sentiment['positive']).toMatchObject({ closing_trades: 1, realized_pnl: '40' });
    expect(r.by_confidence['q5']).toMatchObject({ realized_pnl: '40', win_rate_pct: 100 });
    // 6 left long, marked 110: 660 of 100,000 = 0.66 %.
    expect(r.risk).toMatchObject({ gross_exposure: '660', net_exposure: '660', largest_position: 'XYZ' });
    expect(r.risk.largest_position_pct).toBeCloseTo(0.66, 12);
    // 5th percentile of [−0.02, −0.01, 0.01, 0.03]: −0.02 + 0.15 × 0.01; CVaR the worst one.
    expect(r.risk.var_95).toBeCloseTo(-0.0185, 12);
    expect(r.risk.cvar_95).toBe(-0.02);
  });
});
