import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccountSnapshot,
  decodeSnapshot,
  encodeSnapshot,
  SNAPSHOT_FLAG_FIELDS,
  SNAPSHOT_MONEY_FIELDS,
} from './snapshot.js';

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((a) => a.join(''));

/** Decimal strings as a broker may send them, including long fractions and negatives. */
const decimalString = fc
  .tuple(fc.boolean(), digits(1, 15), fc.option(digits(1, 20), { nil: undefined }))
  .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);

const snapshotArb: fc.Arbitrary<AccountSnapshot> = fc
  .record(
    {
      account: fc.stringMatching(/^[a-z0-9_-]{1,32}$/),
      broker_account_id: fc.uuid(),
      status: fc.constantFrom('ACTIVE', 'ACCOUNT_UPDATED', 'INACTIVE'),
      currency: fc.constantFrom('USD', 'EUR'),
      daytrade_count: fc.nat(1000),
      fetched_at: fc.integer({ min: 0, max: 4_102_444_800_000 }),
      version: fc.nat(),
      source: fc.constantFrom('alpaca' as const, 'simulator' as const),
      ...Object.fromEntries(SNAPSHOT_MONEY_FIELDS.map((f) => [f, decimalString])),
      ...Object.fromEntries(SNAPSHOT_FLAG_FIELDS.map((f) => [f, fc.boolean()])),
    },
    {
      requiredKeys: ['account', 'broker_account_id', 'status', 'fetched_at', 'version', 'source'],
    },
  )
  .map((s) => s as AccountSnapshot);

describe('snapshot codec', () => {
  it('round-trips random snapshots byte-exactly', () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const hash = encodeSnapshot(s);
        for (const v of Object.values(hash)) expect(typeof v).toBe('string');
        expect(Object.values(hash)).not.toContain('undefined');
        const back = decodeSnapshot(hash);
        expect(back.ok).toBe(true);
        if (back.ok) {
          expect(back.snapshot).toEqual(s);
          expect(encodeSnapshot(back.snapshot)).toEqual(hash);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('carries a 17-decimal last_equity verbatim and omits absent broker fields', () => {
    const s: AccountSnapshot = {
      account: 'default',
      broker_account_id: 'b1',
      status: 'ACTIVE',
      fetched_at: 1764080000000,
      version: 7,
      source: 'simulator',
      equity: '122011.09751111286868',
      last_equity: '122011.09751111286868123',
      trading_blocked: false,
    };
    const hash = encodeSnapshot(s);
    expect(hash.last_equity).toBe('122011.09751111286868123');
    expect(hash.trading_blocked).toBe('false');
    expect('daytrading_buying_power' in hash).toBe(false);
    expect('pattern_day_trader' in hash).toBe(false);
    const back = decodeSnapshot(hash);
    expect(back.ok && back.snapshot.last_equity).toBe('122011.09751111286868123');
    expect(back.ok && 'daytrade_count' in back.snapshot).toBe(false);
  });

  it('rejects a corrupted hash with the field named', () => {
    const r = decodeSnapshot({
      account: 'a',
      broker_account_id: 'b',
      status: 'ACTIVE',
      fetched_at: 'yesterday',
      version: '1',
      source: 'alpaca',
      cash: '1e5',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toContain('fetched_at');
      expect(r.reason).toContain('cash');
    }
    expect(decodeSnapshot({}).ok).toBe(false);
  });
});
