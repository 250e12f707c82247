import { describe, expect, it } from 'vitest';
import { parseTradeJob, type TradeJobInput } from './trade-job.js';

const valid: TradeJobInput = {
  trade_id: 'fill-0001',
  account: 'default',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '10',
  price: '187.25',
  timestamp: '2026-11-25T14:30:00.123456Z',
  strategy_used: 'momentum',
};

/** A fixed clock for the future-skew rule, so these cases do not age. */
const NOW = Date.parse('2027-06-01T00:00:00Z');

function reject(patch: Record<string, unknown>, field: string): string {
  const r = parseTradeJob({ ...valid, ...patch }, { now: NOW });
  expect(r.ok, `expected rejection of ${Object.keys(patch).join(',')}`).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.issues.map((i) => i.field)).toContain(field);
  expect(r.reason).toContain(`${field}:`);
  return r.reason;
}

function accept(patch: Record<string, unknown>) {
  const r = parseTradeJob({ ...valid, ...patch }, { now: NOW });
  if (!r.ok) throw new Error(`expected acceptance, got ${r.reason}`);
  return r.value;
}

describe('trade job: accepted shape', () => {
  it('normalises decimals, timestamp and defaults fees', () => {
    const t = accept({ quantity: '010.500', price: 187.25, timestamp: '2026-11-25T09:30:00.5-05:00' });
    expect(t.quantity).toBe('10.5');
    expect(t.price).toBe('187.25');
    expect(t.timestamp).toBe('2026-11-25T14:30:00.500000Z');
    expect(t.fees).toBe('0');
    expect('finbert_sentiment' in t && t.finbert_sentiment !== undefined).toBe(false);
  });

  it('keeps optional fields and treats null as absent', () => {
    const t = accept({
      finbert_sentiment: -0.5,
      confidence_score: 0.9,
      fees: '0.01',
      order_id: 'ord-1',
      metadata: { model: 'finbert', nested: { a: [1, 'x', null, true] } },
    });
    expect(t).toMatchObject({
      finbert_sentiment: -0.5,
      confidence_score: 0.9,
      fees: '0.01',
      order_id: 'ord-1',
    });
    const n = accept({ finbert_sentiment: null, fees: null, metadata: null });
    expect(n.finbert_sentiment).toBeUndefined();
    expect(n.fees).toBe('0');
    expect(n.metadata).toBeUndefined();
  });

  it('expands numbers with exponents exactly', () => {
    expect(accept({ quantity: 1e-7 }).quantity).toBe('0.0000001');
    expect(accept({ price: 1.5e-8 }).price).toBe('0.000000015');
    reject({ price: 1.5e-9 }, 'price');
    expect(accept({ quantity: 1e21 }).quantity).toBe('1000000000000000000000');
  });
});

describe('trade job: each rule at its edge', () => {
  it('trade_id: 64 chars ok, 65 rejected, charset', () => {
    expect(accept({ trade_id: 'a'.repeat(64) }).trade_id).toHaveLength(64);
    reject({ trade_id: 'a'.repeat(65) }, 'trade_id');
    reject({ trade_id: '' }, 'trade_id');
    reject({ trade_id: 'has space' }, 'trade_id');
    expect(accept({ trade_id: 'A.b_c:d-1' }).trade_id).toBe('A.b_c:d-1');
  });

  it('account: alias pattern and configured set', () => {
    reject({ account: 'Upper' }, 'account');
    reject({ account: 'a'.repeat(33) }, 'account');
    const r = parseTradeJob({ ...valid, account: 'other' }, { accounts: ['default'] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe('account: is not a configured account');
    expect(parseTradeJob(valid, { accounts: new Set(['default']) }).ok).toBe(true);
  });

  it('symbol: 21 chars ok, 22 rejected, crypto and options forms', () => {
    expect(accept({ symbol: 'BTC/USD' }).symbol).toBe('BTC/USD');
    expect(accept({ symbol: 'AAPL261218C00190000' }).symbol).toBe('AAPL261218C00190000');
    expect(accept({ symbol: 'A'.repeat(21) }).symbol).toHaveLength(21);
    reject({ symbol: 'A'.repeat(22) }, 'symbol');
    reject({ symbol: 'aapl' }, 'symbol');
  });

  it('side: only buy/sell', () => {
    reject({ side: 'BUY' }, 'side');
    reject({ side: 'short' }, 'side');
  });

  it('quantity/price: 9 decimals ok, 10 rejected; > 0', () => {
    expect(accept({ quantity: '0.000000001' }).quantity).toBe('0.000000001');
    expect(reject({ quantity: '0.0000000001' }, 'quantity')).toContain('at most 9 decimal places');
    expect(accept({ price: '1.1234567890' }).price).toBe('1.123456789'); // trailing zero is not a 10th decimal
    reject({ price: '1.1234567891' }, 'price');
    expect(reject({ quantity: '0' }, 'quantity')).toContain('must be > 0');
    reject({ quantity: 0 }, 'quantity');
    reject({ price: '-1' }, 'price');
    reject({ price: -1 }, 'price');
    reject({ price: '1e3' }, 'price');
    reject({ price: 'NaN' }, 'price');
    reject({ price: Number.POSITIVE_INFINITY }, 'price');
    reject({ price: '' }, 'price');
    reject({ price: true }, 'price');
    expect(accept({ quantity: '9'.repeat(29) }).quantity).toHaveLength(29);
    reject({ quantity: '9'.repeat(30) }, 'quantity');
  });

  it('fees: >= 0, 9 decimals', () => {
    expect(accept({ fees: 0 }).fees).toBe('0');
    expect(accept({ fees: '0.000000001' }).fees).toBe('0.000000001');
    expect(reject({ fees: '-0.01' }, 'fees')).toContain('must be >= 0');
    reject({ fees: '0.0000000001' }, 'fees');
  });

  it('timestamp: offset required, real dates, microsecond precision, UTC', () => {
    expect(accept({ timestamp: '2026-11-25T23:30:00+05:30' }).timestamp).toBe('2026-11-25T18:00:00.000000Z');
    expect(accept({ timestamp: '2026-12-31T23:00:00-02:00' }).timestamp).toBe('2027-01-01T01:00:00.000000Z');
    expect(accept({ timestamp: '2026-11-25T14:30:00.123456000Z' }).timestamp).toBe(
      '2026-11-25T14:30:00.123456Z',
    );
    reject({ timestamp: '2026-11-25T14:30:00' }, 'timestamp');
    reject({ timestamp: '2026-11-25 14:30:00Z' }, 'timestamp');
    reject({ timestamp: '2026-02-30T14:30:00Z' }, 'timestamp');
    reject({ timestamp: '2026-11-25T24:00:00Z' }, 'timestamp');
    expect(reject({ timestamp: '2026-11-25T14:30:00.1234567Z' }, 'timestamp')).toContain('microsecond');
    reject({ timestamp: '0099-01-01T00:00:00Z' }, 'timestamp');
    reject({ timestamp: 1732545000000 }, 'timestamp');
  });

  it('timestamp: offsets within ±14:00 (the real range), not any ±23:59', () => {
    expect(accept({ timestamp: '2026-11-25T14:00:00+14:00' }).timestamp).toBe('2026-11-25T00:00:00.000000Z');
    expect(accept({ timestamp: '2026-11-25T00:00:00-14:00' }).timestamp).toBe('2026-11-25T14:00:00.000000Z');
    expect(reject({ timestamp: '2026-11-25T14:00:00+14:01' }, 'timestamp')).toContain('±14:00');
    expect(reject({ timestamp: '2026-11-25T14:00:00-23:59' }, 'timestamp')).toContain('±14:00');
    expect(reject({ timestamp: '2026-11-25T14:00:00+15:00' }, 'timestamp')).toContain('±14:00');
  });

  it('timestamp: at most the allowed skew into the future (default 5 min), past any distance', () => {
    // NOW = 2027-06-01T00:00:00Z; the default skew is 300000 ms.
    expect(accept({ timestamp: '2027-06-01T00:05:00.000000Z' }).timestamp).toBe(
      '2027-06-01T00:05:00.000000Z',
    );
    expect(reject({ timestamp: '2027-06-01T00:05:00.001000Z' }, 'timestamp')).toContain('in the future');
    // The zod path (an offset, a number) applies the same rule: 02:05:01+02:00 is 00:05:01Z.
    reject({ timestamp: '2027-06-01T02:05:01+02:00', quantity: 10 }, 'timestamp');
    reject({ timestamp: '2099-01-01T00:00:00Z' }, 'timestamp');
    reject({ timestamp: '9999-12-31T23:59:59.999999Z' }, 'timestamp');
    expect(accept({ timestamp: '1970-01-01T00:00:00Z' }).timestamp).toBe('1970-01-01T00:00:00.000000Z');
    // A configured skew: 1 h allows 00:59:59, not 01:00:01.
    const opts = { now: NOW, maxFutureSkewMs: 3_600_000 };
    expect(parseTradeJob({ ...valid, timestamp: '2027-06-01T00:59:59Z' }, opts).ok).toBe(true);
    expect(parseTradeJob({ ...valid, timestamp: '2027-06-01T01:00:01Z' }, opts).ok).toBe(false);
    // Without an explicit clock, the real one: a fill dated next year is refused today.
    const nextYear = new Date(Date.now() + 366 * 86_400_000).toISOString();
    expect(parseTradeJob({ ...valid, timestamp: nextYear }).ok).toBe(false);
  });

  it('strategy_used: 1-64 characters (code points)', () => {
    expect(accept({ strategy_used: '🚀'.repeat(64) }).strategy_used).toBe('🚀'.repeat(64));
    reject({ strategy_used: '🚀'.repeat(65) }, 'strategy_used');
    reject({ strategy_used: '' }, 'strategy_used');
  });

  it('finbert_sentiment in [-1, 1], confidence_score in [0, 1]', () => {
    expect(accept({ finbert_sentiment: -1 }).finbert_sentiment).toBe(-1);
    expect(accept({ finbert_sentiment: 1 }).finbert_sentiment).toBe(1);
    reject({ finbert_sentiment: 1.0000001 }, 'finbert_sentiment');
    reject({ finbert_sentiment: -1.0000001 }, 'finbert_sentiment');
    reject({ finbert_sentiment: '0.5' }, 'finbert_sentiment');
    reject({ finbert_sentiment: Number.NaN }, 'finbert_sentiment');
    expect(accept({ confidence_score: 0 }).confidence_score).toBe(0);
    reject({ confidence_score: -0.0001 }, 'confidence_score');
    reject({ confidence_score: 1.0001 }, 'confidence_score');
  });

  it('metadata: object, JSON-able, at most 4 KiB', () => {
    const atLimit = { k: 'x'.repeat(4096 - '{"k":""}'.length) };
    expect(accept({ metadata: atLimit }).metadata).toEqual(atLimit);
    const over = { k: 'x'.repeat(4097 - '{"k":""}'.length) };
    expect(reject({ metadata: over }, 'metadata')).toContain('4096 bytes');
    reject({ metadata: [1, 2] }, 'metadata');
    reject({ metadata: 'text' }, 'metadata');
    reject({ metadata: { big: 10n } }, 'metadata');
    reject({ metadata: { f: () => 1 } }, 'metadata');
    reject({ metadata: { d: new Date() } }, 'metadata');
    reject({ metadata: { n: Number.NaN } }, 'metadata');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    reject({ metadata: cyclic }, 'metadata');
    expect(reject({ metadata: JSON.parse('{"__proto__":{"x":1}}') }, 'metadata')).toContain('__proto__');
  });

  it('unknown fields are rejected by name; missing fields are named', () => {
    expect(reject({ venue: 'XNAS' }, 'venue')).toContain('venue: unknown field');
    const r = parseTradeJob(JSON.parse('{"__proto__":{"polluted":true},"trade_id":"x"}'));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain('__proto__: unknown field');
      expect(r.issues.find((i) => i.field === 'account')?.message).toBe('is required');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('non-object payloads are rejected', () => {
    for (const raw of [null, 42, 'trade', [valid]]) {
      const r = parseTradeJob(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues[0]?.field).toBe('(payload)');
    }
  });
});
