import { describe, expect, it } from 'vitest';
import { canonicalDecimal } from './decimal.js';

describe('canonicalDecimal', () => {
  it('drops trailing fractional zeros and a bare point', () => {
    expect(canonicalDecimal('1.500000000')).toBe('1.5');
    expect(canonicalDecimal('100.000000000')).toBe('100');
    expect(canonicalDecimal('0.000000000')).toBe('0');
    expect(canonicalDecimal('0.000000001')).toBe('0.000000001');
  });

  it('leaves integers alone, zeros included', () => {
    expect(canonicalDecimal('100')).toBe('100');
    expect(canonicalDecimal('0')).toBe('0');
  });

  it('refuses non-decimals', () => {
    expect(() => canonicalDecimal('1e5')).toThrow(RangeError);
  });
});
