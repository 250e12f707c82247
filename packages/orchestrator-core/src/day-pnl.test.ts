import { describe, expect, it } from 'vitest';
import { computeDayPnl } from './day-pnl.js';

const base = { account: 'a', broker_account_id: 'b', status: 'ACTIVE', fetched_at: 1, version: 1 } as const;

describe('computeDayPnl', () => {
  it('is exact: 101000.50 − 100000 = 1000.5, which is 1.0005 % of 100000', () => {
    expect(
      computeDayPnl({ ...base, source: 'simulator', equity: '101000.50', last_equity: '100000' }),
    ).toEqual({
      day: '1000.5',
      day_pct: 1.0005,
    });
  });

  it('has no percentage for a zero last_equity and nothing without both figures', () => {
    expect(computeDayPnl({ ...base, source: 'alpaca', equity: '5', last_equity: '0' })).toEqual({
      day: '5',
      day_pct: null,
    });
    expect(computeDayPnl({ ...base, source: 'alpaca', equity: '5' })).toBeNull();
  });
});
