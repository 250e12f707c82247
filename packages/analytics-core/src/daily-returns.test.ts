import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { accountDailyReturns, startOfDayEquity, strategyDailyReturns } from './daily-returns.js';
import type { AnalyticsTrade, PortfolioHistoryPoint } from './types.js';

const history: PortfolioHistoryPoint[] = [
  { date: '2024-01-08', equity: '10100', profit_loss_pct: 0.01 },
  { date: '2024-01-05', equity: '10000', profit_loss_pct: 0 }, // out of order on purpose
  { date: '2024-01-09', equity: '9595', profit_loss_pct: -0.05 },
];

let n = 0;
const fill = (side: 'buy' | 'sell', price: string, day: string, strategy = 's'): AnalyticsTrade => ({
  trade_id: `d${++n}`,
  account: 'a',
  symbol: 'BTC/USD',
  side,
  quantity: '1',
  price,
  fees: '0',
  timestamp: `${day}T12:00:00Z`,
  strategy_used: strategy,
});

describe('daily returns', () => {
  it("reads the broker's daily returns, or derives them from equity", () => {
    expect(accountDailyReturns(history)).toEqual([
      { date: '2024-01-05', return: 0 },
      { date: '2024-01-08', return: 0.01 },
      { date: '2024-01-09', return: -0.05 },
    ]);
    const fromEquity = accountDailyReturns(history, 'equity');
    expect(fromEquity.map((d) => d.date)).toEqual(['2024-01-08', '2024-01-09']);
    expect(fromEquity[0]!.return).toBeCloseTo(0.01, 15); // 10100 / 10000 − 1
    expect(fromEquity[1]!.return).toBeCloseTo(-0.05, 15); // 9595 / 10100 − 1
  });

  it('starts each day at the previous close (the first at equity / (1 + return))', () => {
    expect(startOfDayEquity(history).map((d) => d.equity)).toEqual([10000, 10000, 10100]);
  });

  it('divides a strategy’s realized P&L per window by the start-of-day equity', () => {
    const acc = new AnalyticsAccumulator();
    acc.addAll([
      fill('buy', '100', '2024-01-04'),
      fill('sell', '150', '2024-01-04'), // +50 before the history: outside the series
      fill('buy', '100', '2024-01-05'),
      fill('sell', '120', '2024-01-05'), // +20 on the first day
      fill('buy', '100', '2024-01-06'),
      fill('sell', '130', '2024-01-06', 'w'), // w holds nothing: its sell opens a short, no realized P&L
      fill('buy', '100', '2024-01-08'),
      fill('sell', '90', '2024-01-08'), // −10 on Monday (closes Saturday's lot, FIFO)
      fill('buy', '100', '2024-01-10'),
      fill('sell', '200', '2024-01-10'), // after the last history day: outside
    ]);
    const r = strategyDailyReturns(acc, history);
    expect(r.get('s')).toEqual([
      { date: '2024-01-05', return: 20 / 10000 },
      { date: '2024-01-08', return: -10 / 10000 },
      { date: '2024-01-09', return: 0 },
    ]);
    expect(r.get('w')!.map((d) => d.return)).toEqual([0, 0, 0]);
  });
});
