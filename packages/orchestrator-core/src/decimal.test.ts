import { describe, expect, it } from 'vitest';
import { abs, add, cmp, divide, formatDecimal, mul, parseDecimal, sub, toDecimal } from './decimal.js';

const d = (s: string) => {
  const v = parseDecimal(s);
  if (v === null) throw new Error(`bad decimal ${s}`);
  return v;
};

describe('decimal', () => {
  it('parses and formats canonically', () => {
    expect(formatDecimal(d('0012.3400'))).toBe('12.34');
    expect(formatDecimal(d('-0.000'))).toBe('0');
    expect(formatDecimal(d('-1.50'))).toBe('-1.5');
    expect(formatDecimal(d('122011.09751111286868'))).toBe('122011.09751111286868');
    expect(parseDecimal('1e5')).toBeNull();
    expect(parseDecimal('1.')).toBeNull();
    expect(parseDecimal('')).toBeNull();
  });

  it('adds, subtracts and multiplies exactly where floats would not', () => {
    expect(formatDecimal(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(formatDecimal(sub(d('100000.01'), d('100000.02')))).toBe('-0.01');
    expect(formatDecimal(mul(d('123.456789012'), d('98765.4321')))).toBe('12193263.1124487120852');
    expect(formatDecimal(abs(d('-7.5')))).toBe('7.5');
  });

  it('compares across scales', () => {
    expect(cmp(d('1.10'), d('1.1'))).toBe(0);
    expect(cmp(d('-2'), d('1.999'))).toBe(-1);
    expect(cmp(d('10.0001'), d('10'))).toBe(1);
  });

  it('divides with half-away-from-zero rounding', () => {
    expect(formatDecimal(divide(d('1'), d('3'), 4)!)).toBe('0.3333');
    expect(formatDecimal(divide(d('2'), d('3'), 4)!)).toBe('0.6667');
    expect(formatDecimal(divide(d('-2'), d('3'), 4)!)).toBe('-0.6667');
    expect(formatDecimal(divide(d('5'), d('-2'), 0)!)).toBe('-3');
    expect(divide(d('1'), d('0.00'), 2)).toBeNull();
  });

  it('reads JS numbers through their shortest text', () => {
    expect(formatDecimal(toDecimal(0.1)!)).toBe('0.1');
    expect(formatDecimal(toDecimal(1e-7)!)).toBe('0.0000001');
    expect(formatDecimal(toDecimal(-2.5e21)!)).toBe('-2500000000000000000000');
    expect(toDecimal(Number.NaN)).toBeNull();
    expect(toDecimal(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
