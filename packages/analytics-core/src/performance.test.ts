import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { formatMoney } from './fixed.js';
import { buildPerformanceSummary, finiteOrNull } from './performance.js';
import { cumReturnsFinal, sharpeRatio } from './returns.js';
import { tradingSeries } from './series.js';
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
  { date: '2024-01-02', equity: '100000', profit_loss_pct: 0.001 }, // base day: not a return
  { date: '2024-01-03', equity: '99000', profit_loss_pct: -0.01 },
  { date: '2024-01-04', equity: '100485', profit_loss_pct: 0.015 }, // today's stale point
];

describe('performance summary', () => {
  const acc = new AnalyticsAccumulator();
  acc.addAll([
    t({}),
    t({ side: 'sell', quantity: '4', price: '110', fees: '1' }), // mom: 4 × 10 − 1 = +39
    t({ side: 'sell', quantity: '2', price: '90', strategy_used: 'rev', timestamp: '2024-01-03T15:00:00Z' }),
    t({
      symbol: 'TSLA',
      side: 'sell',
      quantity: '1',
      price: '200',
      strategy_used: 'rev',
      timestamp: '2024-01-04T15:00:00Z',
    }),
  ]);
  const summary = buildPerformanceSummary(acc, {
    prices: { AAPL: '105', TSLA: '190' },
    history,
    closes: new Map([
      [
        'AAPL',
        new Map([
          ['2024-01-02', '105'],
          ['2024-01-03', '95'],
        ]),
      ],
    ]),
    account: { equity: '100990', lastEquity: '99000' },
    source: 'simulator',
    asOf: '2024-01-04T20:00:00.000Z',
  });

  it('gives the contract names for the ledger scopes, plus their span and unrealized P&L', () => {
    const extra = ['unrealized_pnl', 'from', 'to', 'days'];
    expect(Object.keys(summary.overall)).toEqual([...FIELDS, ...extra]);
    expect(Object.keys(summary.strategies).sort()).toEqual(['mom', 'rev']);
    for (const s of Object.values(summary.strategies)) expect(Object.keys(s)).toEqual([...FIELDS, ...extra]);
  });

  it('trading by strategy: own lots, P&L at the day’s marks over the previous close', () => {
    // mom: day 1 cash −1000 + 439, 6 × 105 held → 69; day 2 6 × (95 − 105) = −60; today +60.
    // rev: day 2 sells 2 @ 90 short, marked 95 → −10; today AAPL −2 × 10, TSLA +10 → −10.
    const s = tradingSeries(acc, {
      history,
      closes: new Map([
        [
          'AAPL',
          new Map([
            ['2024-01-02', '105'],
            ['2024-01-03', '95'],
          ]),
        ],
      ]),
      live: { date: '2024-01-04', prices: { AAPL: '105', TSLA: '190' }, lastEquity: '99000' },
    });
    expect(s.strategies.get('mom')!.map((d) => formatMoney(d.pnl))).toEqual(['69', '-60', '60']);
    expect(s.strategies.get('rev')!.map((d) => formatMoney(d.pnl))).toEqual(['-10', '-10']);
    expect(s.total.map((d) => formatMoney(d.pnl))).toEqual(['69', '-70', '50']);
    expect(s.strategies.get('mom')!.map((d) => d.return)).toEqual([69 / 100000, -60 / 100000, 60 / 99000]);

    expect(summary.strategies['mom']).toMatchObject({
      realized_pnl: '39',
      unrealized_pnl: '30',
      total_pnl: '69',
      trades_count: 2,
      from: '2024-01-02',
      to: '2024-01-04',
      days: 3,
    });
    expect(summary.strategies['mom']!.sharpe_ratio).toBe(
      sharpeRatio([69 / 100000, -60 / 100000, 60 / 99000]),
    );
    expect(summary.strategies['rev']).toMatchObject({ realized_pnl: '0', total_pnl: '-20', days: 2 });
    // The account's lots: realized 39 − 20 = 19, unrealized AAPL 4 × 5 + TSLA 10 = 30; Σ strategies 69 − 20.
    expect(summary.overall).toMatchObject({ realized_pnl: '19', unrealized_pnl: '30', total_pnl: '49' });
    expect(summary.overall.total_return_pct).toBe(
      cumReturnsFinal([69 / 100000, -70 / 100000, 50 / 99000]) * 100,
    );
    expect(summary.marks).toEqual({
      AAPL: { date: '2024-01-04', price: '105', source: 'broker' },
      TSLA: { date: '2024-01-04', price: '190', source: 'broker' },
    });
    expect(summary.mark_notes).toEqual([]);
  });

  it('the account group is the broker’s: no base day, today live, source and span along', () => {
    const today = 100990 / 99000 - 1;
    expect(summary.broker).toMatchObject({
      source: 'simulator',
      from: '2024-01-03',
      to: '2024-01-04',
      days: 2,
      live_today: true,
      equity: '100990',
    });
    expect(summary.broker!.sharpe_ratio).toBe(sharpeRatio([-0.01, today]));
    expect(summary.broker!.total_return_pct).toBe(cumReturnsFinal([-0.01, today]) * 100);
  });

  it('marks a symbol without a broker price at its last fill, and says so', () => {
    const one = new AnalyticsAccumulator().addAll([t({ symbol: 'X', quantity: '1', price: '10' })]);
    const s = buildPerformanceSummary(one, {
      prices: { X: 'n/a' },
      history: history.slice(0, 2),
      closes: new Map([['X', new Map([['2024-01-02', '-3']])]]),
      asOf: '2024-01-05T20:00:00Z',
    });
    expect(s.marks).toEqual({ X: { date: '2024-01-05', price: '10', source: 'last-fill' } });
    expect(s.missing_prices).toEqual(['X']);
    expect(s.mark_notes).toEqual([
      { symbol: 'X', reason: 'bad broker mark', days: 2, first: '2024-01-02', last: '2024-01-05' },
      { symbol: 'X', reason: 'no broker mark', days: 1, first: '2024-01-03', last: '2024-01-03' },
    ]);
    expect(s.overall.total_pnl).toBe('0');
  });
});

describe('edge cases', () => {
  const days = ['2024-01-02', '2024-01-03', '2024-01-04'];
  const flat: PortfolioHistoryPoint[] = ['2024-01-01', ...days].map((date) => ({
    date,
    equity: '100000',
    profit_loss_pct: 0,
  }));
  const at = (date: string) => `${date}T15:00:00Z`;
  const closes = (prices: Record<string, readonly string[]>) =>
    new Map(Object.entries(prices).map(([s, p]) => [s, new Map(p.map((x, i) => [days[i] as string, x]))]));
  const pnl = (acc: AnalyticsAccumulator, c: ReturnType<typeof closes>, history = flat) =>
    tradingSeries(acc, { history, closes: c })
      .strategies.get('s')!
      .map((d) => [d.date, formatMoney(d.pnl)]);

  it('only buys: all unrealized; a constant return has zero volatility, so no Sharpe or Sortino', () => {
    const acc = new AnalyticsAccumulator().addAll([
      t({ symbol: 'X', quantity: '1', price: '10', strategy_used: 's', timestamp: at(days[0]!) }),
    ]);
    const c = closes({ X: ['11', '12', '13'] });
    expect(pnl(acc, c)).toEqual([
      [days[0], '1'],
      [days[1], '1'],
      [days[2], '1'],
    ]);
    const s = buildPerformanceSummary(acc, {
      prices: {},
      history: flat,
      closes: c,
      asOf: '2024-01-04T12:00:00Z',
    });
    expect(s.strategies['s']).toMatchObject({ realized_pnl: '0', total_pnl: '3', days: 3 });
    expect(finiteOrNull(s.strategies['s']!.sharpe_ratio)).toBeNull();
    expect(finiteOrNull(s.strategies['s']!.sortino_ratio)).toBeNull();
    expect(s.strategies['s']!.max_drawdown_pct).toBe(0);
  });

  it('short first: a sell with no lot opens a short of the strategy', () => {
    const acc = new AnalyticsAccumulator().addAll([
      t({
        symbol: 'X',
        side: 'sell',
        quantity: '5',
        price: '20',
        strategy_used: 's',
        timestamp: at(days[0]!),
      }),
      t({
        symbol: 'X',
        side: 'buy',
        quantity: '5',
        price: '19',
        strategy_used: 's',
        timestamp: at(days[1]!),
      }),
    ]);
    // Day 1: +100 cash, −5 × 18 → +10. Day 2: cover at 19: −95 cash, +90 back → −5. Realized 5.
    expect(pnl(acc, closes({ X: ['18', '18', '18'] }))).toEqual([
      [days[0], '10'],
      [days[1], '-5'],
      [days[2], '0'],
    ]);
    expect(formatMoney(acc.strategies.get('s')!.stats.realized)).toBe('5');
  });

  it('a flip through zero realizes the long and opens a short at the same fill', () => {
    const acc = new AnalyticsAccumulator().addAll([
      t({ symbol: 'X', quantity: '10', price: '10', strategy_used: 's', timestamp: at(days[0]!) }),
      t({
        symbol: 'X',
        side: 'sell',
        quantity: '15',
        price: '12',
        strategy_used: 's',
        timestamp: at(days[0]!),
      }),
    ]);
    // Realized 10 × 2 = 20; short 5 @ 12 marked 11 → +5: 25 on the day.
    expect(pnl(acc, closes({ X: ['11', '11', '11'] }))).toEqual([
      [days[0], '25'],
      [days[1], '0'],
      [days[2], '0'],
    ]);
    expect(acc.strategies.get('s')!.positions.get('X')!.book.position).toBe(-5n * 10n ** 9n);
  });

  it('one day: a return, but no ratios', () => {
    const acc = new AnalyticsAccumulator().addAll([
      t({ symbol: 'X', quantity: '1', price: '10', strategy_used: 's', timestamp: at(days[2]!) }),
    ]);
    const s = buildPerformanceSummary(acc, {
      prices: {},
      history: flat,
      closes: closes({ X: ['9', '9', '12'] }),
      asOf: '2024-01-04T12:00:00Z',
    });
    expect(s.strategies['s']).toMatchObject({ days: 1, total_pnl: '2' }); // today's recorded mark
    for (const k of ['sharpe_ratio', 'sortino_ratio', 'calmar_ratio'] as const) {
      expect(s.strategies['s']![k]).toBeNaN();
    }
  });

  it('a fill after the last history day is a day of the series, over the last close', () => {
    const acc = new AnalyticsAccumulator().addAll([
      t({ symbol: 'X', quantity: '1', price: '10', strategy_used: 's', timestamp: at(days[0]!) }),
      t({
        symbol: 'X',
        side: 'sell',
        quantity: '1',
        price: '30',
        strategy_used: 's',
        timestamp: '2024-01-08T15:00:00Z',
      }),
    ]);
    const series = tradingSeries(acc, {
      history: flat.slice(0, 3),
      closes: closes({ X: ['10', '10', '10'] }),
    });
    expect(series.strategies.get('s')!.map((d) => [d.date, formatMoney(d.pnl), d.return])).toEqual([
      [days[0], '0', 0],
      [days[1], '0', 0],
      ['2024-01-08', '20', 20 / 100000],
    ]);
  });
});
