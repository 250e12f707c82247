import { describe, expect, it } from 'vitest';
import { RunningTradeStats, tradeStatistics } from './trade-stats.js';

const money = (units: number) => BigInt(units) * 10n ** 18n;

describe('trade statistics', () => {
  it('works a mixed run of closing fills by hand', () => {
    const s = new RunningTradeStats();
    for (const pnl of [100, -50, 0, -30, -20, 60, -10]) s.record(money(pnl));
    const t = tradeStatistics(s, money(5));
    expect(t).toMatchObject({
      closing_trades: 7,
      winning_trades: 2,
      losing_trades: 4,
      breakeven_trades: 1,
      gross_profit: '160', // 100 + 60
      gross_loss: '-110', // −50 − 30 − 20 − 10
      realized_pnl: '50',
      unrealized_pnl: '5',
      total_pnl: '55',
      expectancy: '7.142857142857142857', // 50 / 7, half-even at 18 decimals
      average_win: '80', // 160 / 2
      average_loss: '-27.5', // −110 / 4
      largest_win: '100',
      largest_loss: '-50',
      // −50 | 0 breaks it | −30, −20 | +60 | −10 → 2
      longest_losing_streak: 2,
    });
    expect(t.win_rate_pct).toBeCloseTo((2 / 7) * 100, 12); // break-even counts in the denominator
    expect(t.profit_factor).toBeCloseTo(160 / 110, 12);
    expect(t.payoff_ratio).toBeCloseTo(80 / 27.5, 12);
  });

  it('has undefined ratios with no closing fill and infinite ones with no loss', () => {
    const none = tradeStatistics(new RunningTradeStats());
    expect(none.win_rate_pct).toBeNaN();
    expect(none.profit_factor).toBeNaN();
    expect(none.payoff_ratio).toBeNaN();
    expect(none).toMatchObject({
      expectancy: '0',
      average_win: null,
      largest_loss: null,
      unrealized_pnl: null,
    });

    const s = new RunningTradeStats();
    s.record(money(3));
    s.record(0n);
    const onlyWins = tradeStatistics(s);
    expect(onlyWins.win_rate_pct).toBe(50);
    expect(onlyWins.profit_factor).toBe(Number.POSITIVE_INFINITY);
    expect(onlyWins.payoff_ratio).toBe(Number.POSITIVE_INFINITY);
    expect(onlyWins.expectancy).toBe('1.5');
  });

  it('round-trips its state', () => {
    const s = new RunningTradeStats();
    for (const pnl of [-1, -2, 7]) s.record(money(pnl));
    const copy = new RunningTradeStats().load(JSON.parse(JSON.stringify(s.toJSON())));
    expect(copy).toEqual(s);
  });
});
