import { describe, expect, it } from 'vitest';
import { brokerAccountSchema } from './account-schema.js';

/**
 * The example of Alpaca's "Get account" reference, as the page gives it: `daytrade_count` as a
 * string, `crypto_status` twice (JSON.parse keeps the last).
 */
const ALPACA_DOCS_ACCOUNT = `{
  "account_blocked": false,
  "account_number": "010203ABCD",
  "crypto_status": "PAPER_ONLY",
  "buying_power": "262113.632",
  "cash": "-23140.2",
  "created_at": "2019-06-12T22:47:07.99658Z",
  "currency": "USD",
  "crypto_status": "ACTIVE",
  "non_marginable_buying_power": "7386.56",
  "accrued_fees": "0",
  "pending_transfer_in": "0",
  "pending_transfer_out": "0",
  "daytrade_count": "0",
  "daytrading_buying_power": "262113.632",
  "equity": "103820.56",
  "id": "e6fe16f3-64a4-4921-8928-cadf02f92f98",
  "initial_margin": "63480.38",
  "last_equity": "103529.24",
  "last_maintenance_margin": "38000.832",
  "long_market_value": "126960.76",
  "maintenance_margin": "38088.228",
  "multiplier": "4",
  "pattern_day_trader": false,
  "portfolio_value": "103820.56",
  "regt_buying_power": "80680.36",
  "short_market_value": "0",
  "shorting_enabled": true,
  "sma": "0",
  "status": "ACTIVE",
  "trade_suspended_by_user": false,
  "trading_blocked": false,
  "transfers_blocked": false
}`;

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

  it("accepts Alpaca's own documentation example, daytrade_count sent as a string", () => {
    const parsed = brokerAccountSchema.parse(JSON.parse(ALPACA_DOCS_ACCOUNT));
    expect(parsed.id).toBe('e6fe16f3-64a4-4921-8928-cadf02f92f98');
    expect(parsed.daytrade_count).toBe(0);
    expect(parsed.cash).toBe('-23140.2');
    expect(parsed.multiplier).toBe('4');
    expect(parsed.pattern_day_trader).toBe(false);
    expect(parsed.trading_blocked).toBe(false);
    // Fields we do not use are kept as sent.
    expect(parsed['account_number']).toBe('010203ABCD');
    expect(parsed['crypto_status']).toBe('ACTIVE');
    expect(parsed['sma']).toBe('0');
    expect(parsed['shorting_enabled']).toBe(true);
  });

  it('reads the passed-on fields in their documented type or its string form', () => {
    const base = { id: 'a1', status: 'ACTIVE' };
    expect(brokerAccountSchema.parse({ ...base, daytrade_count: 3 }).daytrade_count).toBe(3);
    expect(brokerAccountSchema.parse({ ...base, daytrade_count: '12' }).daytrade_count).toBe(12);
    expect(brokerAccountSchema.parse({ ...base, pattern_day_trader: 'true' }).pattern_day_trader).toBe(true);
    expect(brokerAccountSchema.parse({ ...base, pattern_day_trader: 'false' }).pattern_day_trader).toBe(
      false,
    );
    expect(brokerAccountSchema.parse({ ...base, currency: 840 }).currency).toBe('840');
  });

  it('never refuses a body for an odd type in a field it does not rely on', () => {
    const parsed = brokerAccountSchema.parse({
      id: 'a1',
      status: 'ACTIVE',
      equity: '100.5',
      // Passed on, but unreadable: read as left out.
      daytrade_count: 'zero',
      pattern_day_trader: 'maybe',
      currency: { code: 'USD' },
      // Not used at all: kept as sent, whatever the type.
      account_number: 10203,
      sma: 0,
      shorting_enabled: 'yes',
      crypto_tier: null,
      bod_dtbp: 0,
      admin_configurations: {},
      options_approved_level: '2',
    });
    expect(parsed.equity).toBe('100.5');
    expect(parsed.daytrade_count).toBeUndefined();
    expect(parsed.pattern_day_trader).toBeUndefined();
    expect(parsed.currency).toBeUndefined();
    expect(parsed['account_number']).toBe(10203);
    expect(parsed['sma']).toBe(0);
    expect(parsed['shorting_enabled']).toBe('yes');
    expect(parsed['bod_dtbp']).toBe(0);
    // A negative or fractional count is no count either, and one too long for the hash's form.
    for (const daytrade_count of [-1, 1.5, '1.5', '-2', 1e16, '1234567890123456']) {
      const r = brokerAccountSchema.safeParse({ id: 'a1', status: 'ACTIVE', daytrade_count });
      expect(r.success && r.data.daytrade_count).toBeUndefined();
    }
  });

  it('stays strict for the blocked flags and the status it relies on', () => {
    const base = { id: 'a1', status: 'ACTIVE' };
    expect(brokerAccountSchema.safeParse({ ...base, trading_blocked: 'false' }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ ...base, account_blocked: 0 }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ ...base, transfers_blocked: 'no' }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ ...base, status: 1 }).success).toBe(false);
    expect(brokerAccountSchema.safeParse({ ...base, multiplier: 4 }).success).toBe(false);
  });
});
