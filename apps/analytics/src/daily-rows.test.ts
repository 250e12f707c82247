import { AnalyticsAccumulator } from '@friren/analytics-core';
import { describe, expect, it } from 'vitest';
import { dailyRows } from './daily-rows.js';

const trade = (id: string, side: 'buy' | 'sell', price: string, timestamp: string, strategy: string) => ({
  trade_id: id,
  account: 'a',
  symbol: 'XYZ',
  side,
  quantity: '10',
  price,
  fees: '0',
  timestamp,
  strategy_used: strategy,
});

describe('dailyRows', () => {
  it('gives each strategy its realized P&L by day and its return on history days', () => {
    const acc = new AnalyticsAccumulator().addAll([
      trade('1', 'buy', '100', '2024-01-02T15:00:00.000000Z', 'open'),
      trade('2', 'sell', '110', '2024-01-03T15:00:00.000000Z', 'close'),
      trade('3', 'buy', '100', '2024-01-06T15:00:00.000000Z', 'open'), // a Saturday
      trade('4', 'sell', '95', '2024-01-06T16:00:00.000000Z', 'close'),
    ]);
    const history = [
      { date: '2024-01-02', equity: '1000', profit_loss_pct: 0 },
      { date: '2024-01-03', equity: '1100', profit_loss_pct: 0.1 },
      { date: '2024-01-08', equity: '1050', profit_loss_pct: -0.05 },
    ];
    const rows = dailyRows('a', acc, history);
    expect(rows.filter((r) => r.strategy === 'close')).toEqual([
      {
        account: 'a',
        strategy: 'close',
        date: '2024-01-03',
        realized_pnl: '100',
        cumulative_realized_pnl: '100',
        daily_return: 0.1,
      },
      {
        account: 'a',
        strategy: 'close',
        date: '2024-01-06',
        realized_pnl: '-50',
        cumulative_realized_pnl: '50',
        daily_return: null,
      },
      // The weekend's P&L counts on the next history day, over that day's starting equity (1100).
      {
        account: 'a',
        strategy: 'close',
        date: '2024-01-08',
        realized_pnl: '0',
        cumulative_realized_pnl: '50',
        daily_return: -50 / 1100,
      },
    ]);
    expect(rows.filter((r) => r.strategy === 'open')).toEqual([]);
    // From a day on: the same rows, running totals included.
    expect(dailyRows('a', acc, history, '2024-01-06')).toEqual(rows.filter((r) => r.date >= '2024-01-06'));
    expect(
      rows.filter((r) => r.strategy === '').map((r) => [r.date, r.realized_pnl, r.daily_return]),
    ).toEqual([
      ['2024-01-02', '0', 0],
      ['2024-01-03', '100', 0.1],
      ['2024-01-06', '-50', null],
      ['2024-01-08', '0', -0.05],
    ]);
  });
});
