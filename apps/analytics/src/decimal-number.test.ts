import { describe, expect, it } from 'vitest';
import { canonicalDecimalString, numberToDecimal } from './decimal-number.js';

describe('numberToDecimal', () => {
  it('keeps the shortest round-trip digits of a broker float', () => {
    expect(numberToDecimal(100234.56)).toBe('100234.56');
    expect(numberToDecimal(0.1)).toBe('0.1');
    expect(numberToDecimal(-1234.5)).toBe('-1234.5');
    expect(numberToDecimal(0)).toBe('0');
    expect(numberToDecimal(-0)).toBe('0');
  });

  it('expands exponents and cuts past 18 decimals', () => {
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(1.5e-7)).toBe('0.00000015');
    expect(numberToDecimal(1.2345e-17)).toBe('0.000000000000000012');
    expect(numberToDecimal(-1e-20)).toBe('0');
  });

  it('refuses non-finite numbers', () => {
    expect(() => numberToDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => numberToDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('canonicalDecimalString', () => {
  it('normalizes as the database reads DECIMAL back', () => {
    expect(canonicalDecimalString('0101000.500')).toBe('101000.5');
    expect(canonicalDecimalString('-0.000')).toBe('0');
    expect(canonicalDecimalString('-12')).toBe('-12');
    expect(canonicalDecimalString('1.1234567890123456789')).toBe('1.123456789012345678');
    expect(() => canonicalDecimalString('1e5')).toThrow(RangeError);
  });
});
