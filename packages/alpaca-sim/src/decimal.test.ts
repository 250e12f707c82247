import { add, cmp, divideDecimal, mul, roundDecimal, sub, trimDecimal } from '@friren/contracts';
import { describe, expect, it } from 'vitest';
import { dec, decFromNumber, format } from './decimal.js';

describe('decimal', () => {
  it('round-trips decimal strings digit for digit', () => {
    for (const s of ['0', '100000.00', '-23140.2', '122011.09751111286868', '0.000000001']) {
      expect(format(dec(s))).toBe(s);
    }
  });

  it('rejects what is not a plain decimal', () => {
    for (const s of ['', '1e5', '+1', '.5', '1.', 'NaN', '1,5']) expect(() => dec(s)).toThrow(RangeError);
    expect(() => decFromNumber(1e-7)).toThrow(RangeError);
    expect(format(decFromNumber(0.1))).toBe('0.1');
  });

  it('adds, subtracts and multiplies exactly where floats would not', () => {
    expect(format(add(dec('0.1'), dec('0.2')))).toBe('0.3');
    expect(format(sub(dec('100000'), dec('0.01')))).toBe('99999.99');
    expect(format(trimDecimal(mul(dec('1.5'), dec('195.40'))))).toBe('293.1');
    expect(format(add(dec('122011.09751111286868'), dec('1')))).toBe('122012.09751111286868');
  });

  it('divides with half-away-from-zero rounding or truncation', () => {
    expect(format(divideDecimal(dec('2'), dec('3'), 4))).toBe('0.6667');
    expect(format(divideDecimal(dec('-2'), dec('3'), 4))).toBe('-0.6667');
    expect(format(divideDecimal(dec('2'), dec('3'), 4, 'truncate'))).toBe('0.6666');
    expect(format(roundDecimal(dec('2.345'), 2))).toBe('2.35');
    expect(() => divideDecimal(dec('1'), dec('0'), 2)).toThrow(RangeError);
  });

  it('compares across scales', () => {
    expect(cmp(dec('1.50'), dec('1.5'))).toBe(0);
    expect(cmp(dec('-1'), dec('0.0001'))).toBe(-1);
    expect(format(trimDecimal(dec('1892.5000')))).toBe('1892.5');
  });
});
