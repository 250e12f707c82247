import { AnalyticsAccumulator, tradingSeries } from '@friren/analytics-core';
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
  it('gives each strategy its own realized P&L and trading return per day from its first fill', () => {
    const acc = new AnalyticsAccumulator().addAll([
      trade('1', 'buy', '100', '2024-01-02T15:00:00.000000Z', 'mom'),
      trade('2', 'sell', '110', '2024-01-03T15:00:00.000000Z', 'mom'),
      trade('3', 'buy', '100', '2024-01-06T15:00:00.000000Z', 'rev'), // a Saturday
      trade('4', 'sell', '95', '2024-01-06T16:00:00.000000Z', 'rev'),
    ]);
    const history = [
      { date: '2024-01-02', equity: '1000', profit_loss_pct: 0 },
      { date: '2024-01-03', equity: '1100', profit_loss_pct: 0.1 },
      { date: '2024-01-08', equity: '1050', profit_loss_pct: -0.05 },
    ];
    const closes = new Map([['XYZ', new Map([['2024-01-02', '105']])]]);
    const rows = dailyRows('a', tradingSeries(acc, { history, closes }));
    // mom: +50 unrealized on the 2nd (over the 2nd's own equity: nothing before), +50 more and
    // realized 100 on the 3rd (over the 2nd's close, 1000), then flat.
    expect(
      rows.filter((r) => r.strategy === 'mom').map((r) => [r.date, r.realized_pnl, r.daily_return]),
    ).toEqual([
      ['2024-01-02', '0', 50 / 1000],
      ['2024-01-03', '100', 50 / 1000],
      ['2024-01-06', '0', 0],
      ['2024-01-08', '0', 0],
    ]);
    // rev: −50 on Saturday, over Wednesday's close (1100).
    expect(rows.filter((r) => r.strategy === 'rev')).toEqual([
      {
        account: 'a',
        strategy: 'rev',
        date: '2024-01-06',
        realized_pnl: '-50',
        cumulative_realized_pnl: '-50',
        daily_return: -50 / 1100,
      },
      {
        account: 'a',
        strategy: 'rev',
        date: '2024-01-08',
        realized_pnl: '0',
        cumulative_realized_pnl: '-50',
        daily_return: 0,
      },
    ]);
    expect(rows.filter((r) => r.strategy === '').map((r) => [r.date, r.cumulative_realized_pnl])).toEqual([
      ['2024-01-02', '0'],
      ['2024-01-03', '100'],
      ['2024-01-06', '50'],
      ['2024-01-08', '50'],
    ]);
    // From a day on: the same rows, running totals included.
    const series = tradingSeries(acc, { history, closes });
    expect(dailyRows('a', series, '2024-01-06')).toEqual(rows.filter((r) => r.date >= '2024-01-06'));
  });
});
