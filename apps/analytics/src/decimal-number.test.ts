import { describe, expect, it } from 'vitest';
import { toLedgerDecimal } from './decimal-number.js';

describe('toLedgerDecimal', () => {
  it('keeps the shortest round-trip digits of a broker float', () => {
    expect(toLedgerDecimal(100234.56)).toBe('100234.56');
    expect(toLedgerDecimal(0.1)).toBe('0.1');
    expect(toLedgerDecimal(-1234.5)).toBe('-1234.5');
    expect(toLedgerDecimal(0)).toBe('0');
    expect(toLedgerDecimal(-0)).toBe('0');
  });

  it('expands exponents and cuts past 18 decimals', () => {
    expect(toLedgerDecimal(1e21)).toBe('1000000000000000000000');
    expect(toLedgerDecimal(1.5e-7)).toBe('0.00000015');
    expect(toLedgerDecimal(1.2345e-17)).toBe('0.000000000000000012');
    expect(toLedgerDecimal(-1e-20)).toBe('0');
  });

  it('refuses non-finite numbers', () => {
    expect(() => toLedgerDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => toLedgerDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('normalizes decimal strings as the database reads DECIMAL back', () => {
    expect(toLedgerDecimal('0101000.500')).toBe('101000.5');
    expect(toLedgerDecimal('-0.000')).toBe('0');
    expect(toLedgerDecimal('-12')).toBe('-12');
    expect(toLedgerDecimal('1.1234567890123456789')).toBe('1.123456789012345678');
    expect(toLedgerDecimal('-1.1234567890123456789')).toBe('-1.123456789012345678');
    expect(() => toLedgerDecimal('1e5')).toThrow(RangeError);
  });
});
