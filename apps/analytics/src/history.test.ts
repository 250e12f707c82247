import { describe, expect, it } from 'vitest';
import { parseHistory } from './history.js';

// 2024-01-02 and 2024-01-03, midnight New York (05:00 UTC), as Alpaca stamps daily bars.
const T1 = 1704171600;
const T2 = 1704258000;

describe('parseHistory', () => {
  it('reads the raw Alpaca body as the poller stores it, skipping days without data', () => {
    const raw = {
      account: 'main',
      fetched_at: 1704300000000,
      base_value_asof: '2024-01-02',
      timestamp: [T1, T2, T2 + 86_400],
      equity: [100000.5, 101000, null],
      profit_loss: [0, 999.5, null],
      profit_loss_pct: [0, 0.009995, null],
      base_value: 100000,
      timeframe: '1D',
    };
    expect(parseHistory(JSON.stringify(raw))).toEqual([
      { date: '2024-01-02', equity: '100000.5', profit_loss: '0', profit_loss_pct: 0 },
      { date: '2024-01-03', equity: '101000', profit_loss: '999.5', profit_loss_pct: 0.009995 },
    ]);
  });

  it('reads normalized days, wrapped or not, with decimal strings, sorted by date', () => {
    const days = [
      { date: '2024-01-03', equity: '101000.00', profit_loss: '999.5', profit_loss_pct: '0.009995' },
      { timestamp: T1, equity: 100000.5, profit_loss_pct: 0 },
    ];
    const expected = [
      { date: '2024-01-02', equity: '100000.5', profit_loss: '0', profit_loss_pct: 0 },
      { date: '2024-01-03', equity: '101000', profit_loss: '999.5', profit_loss_pct: 0.009995 },
    ];
    expect(parseHistory(JSON.stringify(days))).toEqual(expected);
    expect(parseHistory(JSON.stringify({ fetched_at: 1, history: days }))).toEqual(expected);
  });

  it('refuses intraday bars, mismatched series and foreign shapes', () => {
    const base = { timestamp: [T1], equity: [1], profit_loss: [0], profit_loss_pct: [0] };
    expect(() => parseHistory(JSON.stringify({ ...base, timeframe: '1H' }))).toThrow(/not 1D/);
    expect(() => parseHistory(JSON.stringify({ ...base, equity: [1, 2] }))).toThrow(/lengths/);
    expect(() => parseHistory('{"equity": "lots"}')).toThrow();
    expect(() => parseHistory('not json')).toThrow(SyntaxError);
  });
});
