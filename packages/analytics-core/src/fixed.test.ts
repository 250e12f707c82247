import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatMoney, parseFixed } from './fixed.js';

describe('parseFixed', () => {
  // The digits themselves are parsed by the shared decimal (contracts' decimal.test.ts has the cases).
  it('scales plain decimals exactly', () => {
    expect(parseFixed('187.25', 9)).toBe(187_250_000_000n);
    expect(parseFixed('-2.5', 18)).toBe(-2_500_000_000_000_000_000n);
  });

  it('throws RangeError instead of rounding or guessing', () => {
    for (const bad of ['1.0000000001', '', '.5', '1e5', '+1']) {
      expect(() => parseFixed(bad, 9), bad).toThrow(RangeError);
    }
  });
});

describe('formatFixed', () => {
  it('trims to the canonical form', () => {
    expect(formatFixed(1_500_000_000n, 9)).toBe('1.5');
    expect(formatFixed(1n, 9)).toBe('0.000000001');
    expect(formatFixed(-1n, 18)).toBe('-0.000000000000000001');
    expect(formatFixed(0n, 18)).toBe('0');
    expect(formatMoney(1500n * 10n ** 18n)).toBe('1500');
  });

  it('round-trips any scaled integer', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (v) => {
        expect(parseFixed(formatFixed(v, 18), 18)).toBe(v);
        expect(parseFixed(formatFixed(v, 9), 9)).toBe(v);
      }),
    );
  });
});
