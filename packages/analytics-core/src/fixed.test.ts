import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed, formatMoney, parseFixed } from './fixed.js';

describe('parseFixed', () => {
  it('scales plain decimals exactly', () => {
    expect(parseFixed('1', 9)).toBe(1_000_000_000n);
    expect(parseFixed('187.25', 9)).toBe(187_250_000_000n);
    expect(parseFixed('0.000000001', 9)).toBe(1n);
    expect(parseFixed('-2.5', 9)).toBe(-2_500_000_000n);
    expect(parseFixed('10.000000000', 9)).toBe(10_000_000_000n);
    // Beyond 15 significant digits the slow path keeps it exact.
    expect(parseFixed('123456789012.123456789', 9)).toBe(123_456_789_012_123_456_789n);
    expect(parseFixed('9007199.254740993', 9)).toBe(9_007_199_254_740_993n);
  });

  it('accepts surplus fractional zeros but never rounds', () => {
    expect(parseFixed('1.5000000000000', 9)).toBe(1_500_000_000n);
    expect(() => parseFixed('1.0000000001', 9)).toThrow(RangeError);
  });

  it('rejects anything but a plain decimal', () => {
    for (const bad of ['', '-', '.5', '1.', '1e5', '+1', '1,5', ' 1', 'NaN', '1.2.3']) {
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
