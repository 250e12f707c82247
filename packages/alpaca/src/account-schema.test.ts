import { describe, expect, it } from 'vitest';
import { brokerAccountSchema } from './account-schema.js';
import { portfolioHistorySchema } from './portfolio-history-schema.js';

describe('brokerAccountSchema', () => {
  it('keeps money exactly as sent and tolerates unknown fields', () => {
    const body = JSON.parse(
      '{"id":"a1","status":"ACTIVE","equity":"122011.09751111286868","cash":"-5.1","crypto_tier":3,"new_field":{"x":1}}',
    );
    const parsed = brokerAccountSchema.parse(body);
    expect(parsed.equity).toBe('122011.09751111286868');
    expect(parsed.cash).toBe('-5.1');
    expect(parsed['new_field']).toEqual({ x: 1 });
  });

  it('accepts an account without the fields Alpaca removed in 2026', () => {
    const parsed = brokerAccountSchema.parse({ id: 'a1', status: 'ACTIVE', buying_power: '10' });
    expect(parsed.pattern_day_trader).toBeUndefined();
    expect(parsed.daytrade_count).toBeUndefined();
    expect(parsed.daytrading_buying_power).toBeUndefined();
  });

  it('requires id and status and refuses money sent as a JSON number', () => {
    expect(brokerAccountSchema.safeParse({ status: 'ACTIVE' }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ id: 'a1' }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ id: 'a1', status: 'ACTIVE', equity: 100.5 }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ id: 'a1', status: 'ACTIVE', equity: '1e5' }).success).toBe(false);
  });
});

describe('portfolioHistorySchema', () => {
  it('requires parallel series', () => {
    const ok = {
      timestamp: [1, 2],
      equity: [1, null],
      profit_loss: [0, 0],
      profit_loss_pct: [0, 0],
      timeframe: '1D',
    };
    expect(portfolioHistorySchema.safeParse(ok).success).toBe(true);
    expect(portfolioHistorySchema.safeParse({ ...ok, equity: [1] }).success).toBe(false);
  });
});
