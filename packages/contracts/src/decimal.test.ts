import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  cmp,
  type Decimal,
  divideDecimal,
  divRoundHalfAway,
  divRoundHalfEven,
  formatDecimal,
  max,
  mul,
  neg,
  parseDecimal,
  parseScaled,
  pow10,
  roundDecimal,
  SIGNED_DECIMAL_PATTERN,
  sign,
  sub,
  trimDecimal,
} from './decimal.js';

const d = (units: bigint, scale: number): Decimal => ({ units, scale });
/** Parse and format in one step: the canonical text of a decimal string or number. */
const canon = (input: string | number) => {
  const v = parseDecimal(input);
  if (v === null) throw new Error(`bad decimal ${input}`);
  return formatDecimal(v);
};

describe('parseDecimal', () => {
  it('keeps every digit and the scale as written', () => {
    expect(parseDecimal('122011.09751111286868')).toEqual(d(12201109751111286868n, 14));
    expect(parseDecimal('-1.50')).toEqual(d(-150n, 2));
    expect(parseDecimal('0012.3400')).toEqual(d(123400n, 4));
    expect(parseDecimal('7')).toEqual(d(7n, 0));
    expect(parseDecimal('0.000000001')).toEqual(d(1n, 9));
    // 16 digits: past a float64's exact range, read from the text
    expect(parseDecimal('9007199254740993')).toEqual(d(9007199254740993n, 0));
    expect(parseDecimal('-1234567890.123456')).toEqual(d(-1234567890123456n, 6));
  });

  it('refuses what is not a plain decimal string', () => {
    for (const s of [
      '',
      '-',
      '1e5',
      '+1',
      '.5',
      '1.',
      '1..2',
      '1.2.3',
      ' 1',
      '1 ',
      '1,5',
      'NaN',
      '--1',
      '٣',
    ]) {
      expect(parseDecimal(s)).toBeNull();
    }
  });

  it('reads JS numbers through their shortest text, exponents expanded', () => {
    expect(parseDecimal(0.1)).toEqual(d(1n, 1));
    expect(parseDecimal(1e-7)).toEqual(d(1n, 7)); // String(1e-7) is '1e-7'
    expect(parseDecimal(1.5e-7)).toEqual(d(15n, 8));
    expect(parseDecimal(-2.5e21)).toEqual(d(-2500000000000000000000n, 0));
    expect(parseDecimal(-0)).toEqual(d(0n, 0));
    expect(parseDecimal(Number.NaN)).toBeNull();
    expect(parseDecimal(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('matches SIGNED_DECIMAL_PATTERN on strings', () => {
    for (const s of ['0', '-0.5', '12.340', '1e5', '+1', '.5', '1.', '']) {
      expect(parseDecimal(s) !== null).toBe(SIGNED_DECIMAL_PATTERN.test(s));
    }
  });
});

describe('parseScaled', () => {
  it('counts units of 10^-scale exactly', () => {
    expect(parseScaled('1', 9)).toBe(1_000_000_000n);
    expect(parseScaled('187.25', 9)).toBe(187_250_000_000n);
    expect(parseScaled('0.000000001', 9)).toBe(1n);
    expect(parseScaled('-2.5', 9)).toBe(-2_500_000_000n);
    expect(parseScaled('0', 18)).toBe(0n);
    expect(parseScaled('1500', 18)).toBe(1500n * 10n ** 18n); // past 2^53: scaled as a bigint
    // 16+ digits: read from the text
    expect(parseScaled('123456789012.123456789', 9)).toBe(123_456_789_012_123_456_789n);
    expect(parseScaled('9007199.254740993', 9)).toBe(9_007_199_254_740_993n);
  });

  it('accepts surplus fractional zeros but never rounds', () => {
    expect(parseScaled('1.5000000000000', 9)).toBe(1_500_000_000n);
    expect(parseScaled('-10.000000000', 2)).toBe(-1000n);
    expect(parseScaled('1.0000000001', 9)).toBeNull();
    expect(parseScaled('0.125', 2)).toBeNull();
  });

  it('refuses what is not a plain decimal string', () => {
    for (const s of ['', '-', '.5', '1.', '1e5', '+1', '1,5', ' 1', 'NaN', '1.2.3']) {
      expect(parseScaled(s, 9)).toBeNull();
    }
  });
});

describe('formatDecimal', () => {
  it('writes the canonical form: no leading zeros, no trailing fractional zeros, no -0', () => {
    expect(canon('0012.3400')).toBe('12.34');
    expect(canon('-0.000')).toBe('0');
    expect(canon('-1.50')).toBe('-1.5');
    expect(canon('100.00')).toBe('100');
    expect(canon('122011.09751111286868')).toBe('122011.09751111286868');
    expect(formatDecimal(d(5n, 3))).toBe('0.005');
    expect(formatDecimal(d(-5n, 3))).toBe('-0.005');
    expect(formatDecimal(d(1500n * 10n ** 18n, 18))).toBe('1500');
  });

  it('keeps at least minScale fractional digits', () => {
    expect(formatDecimal(d(10000000n, 2), 2)).toBe('100000.00'); // '100000.00' as written
    expect(formatDecimal(d(15n, 1), 2)).toBe('1.50');
    expect(formatDecimal(d(5n, 0), 2)).toBe('5.00');
    expect(formatDecimal(d(0n, 0), 2)).toBe('0.00');
    expect(formatDecimal(d(-12345n, 4), 2)).toBe('-1.2345');
    const asWritten = (s: string) => formatDecimal(parseDecimal(s)!, parseDecimal(s)!.scale);
    for (const s of ['0', '100000.00', '-23140.2', '0.000000001', '1.500']) expect(asWritten(s)).toBe(s);
  });

  it('round-trips through parseDecimal', () => {
    for (const s of ['0', '1', '-1', '0.1', '-0.000000001', '99999999999999999999.999999999']) {
      expect(canon(canon(s))).toBe(s);
    }
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and multiplies exactly across scales', () => {
    // 122011.09751111286868 + 0.1 = 122011.19751111286868
    expect(add(d(12201109751111286868n, 14), d(1n, 1))).toEqual(d(12201119751111286868n, 14));
    expect(canon('0.3')).toBe(formatDecimal(add(parseDecimal('0.1')!, parseDecimal('0.2')!))); // not 0.30000000000000004
    expect(sub(d(1n, 1), d(3n, 1))).toEqual(d(-2n, 1));
    expect(formatDecimal(sub(parseDecimal('100000.01')!, parseDecimal('100000.02')!))).toBe('-0.01');
    expect(mul(d(15n, 1), d(25n, 2))).toEqual(d(375n, 3)); // 1.5 × 0.25 = 0.375
    expect(formatDecimal(mul(parseDecimal('123.456789012')!, parseDecimal('98765.4321')!))).toBe(
      '12193263.1124487120852',
    );
    expect(neg(d(75n, 1))).toEqual(d(-75n, 1));
    expect(abs(d(-75n, 1))).toEqual(d(75n, 1));
    expect(abs(d(75n, 1))).toEqual(d(75n, 1));
  });

  it('compares across scales', () => {
    expect(cmp(d(10n, 1), d(1n, 0))).toBe(0); // 1.0 = 1
    expect(cmp(d(-1n, 0), d(0n, 0))).toBe(-1);
    expect(cmp(d(100001n, 4), d(10n, 0))).toBe(1); // 10.0001 > 10
    expect(sign(d(-1n, 9))).toBe(-1);
    expect(sign(d(0n, 3))).toBe(0);
    expect(sign(d(1n, 9))).toBe(1);
    expect(max(d(15n, 1), d(149n, 2))).toEqual(d(15n, 1)); // 1.5 > 1.49
  });

  it('divides integers half away from zero or half to even', () => {
    expect(divRoundHalfAway(5n, 2n)).toBe(3n);
    expect(divRoundHalfAway(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfAway(5n, -2n)).toBe(-3n);
    expect(divRoundHalfAway(4n, 3n)).toBe(1n);
    expect(divRoundHalfEven(5n, 2n)).toBe(2n); // 2.5 → 2
    expect(divRoundHalfEven(7n, 2n)).toBe(4n); // 3.5 → 4
    expect(divRoundHalfEven(-5n, 2n)).toBe(-2n);
    expect(divRoundHalfEven(5n, -2n)).toBe(-2n);
    expect(divRoundHalfEven(-7n, 2n)).toBe(-4n);
    expect(divRoundHalfEven(10n, 3n)).toBe(3n); // 3.33 → 3
    expect(divRoundHalfEven(11n, 3n)).toBe(4n); // 3.67 → 4
    expect(divRoundHalfEven(20n, 3n)).toBe(7n); // 6.67 → 7
    expect(divRoundHalfEven(-20n, 3n)).toBe(-7n);
  });

  it('divides decimals to a scale, rounding or truncating, and refuses zero', () => {
    expect(divideDecimal(d(2n, 0), d(3n, 0), 4)).toEqual(d(6667n, 4));
    expect(divideDecimal(d(2n, 0), d(3n, 0), 4, 'truncate')).toEqual(d(6666n, 4));
    expect(divideDecimal(d(-1n, 0), d(8n, 0), 2)).toEqual(d(-13n, 2)); // -0.125 → -0.13
    expect(divideDecimal(d(5n, 0), d(-2n, 0), 0)).toEqual(d(-3n, 0)); // -2.5 → -3
    // 1234.5 / 0.03 = 41150
    expect(formatDecimal(divideDecimal(d(12345n, 1), d(3n, 2), 2))).toBe('41150');
    expect(() => divideDecimal(d(1n, 0), d(0n, 3), 2)).toThrow(RangeError);
  });

  it('rounds or cuts to at most a scale, and trims trailing zeros', () => {
    expect(roundDecimal(d(2345n, 3), 2)).toEqual(d(235n, 2)); // 2.345 → 2.35
    expect(roundDecimal(d(-2345n, 3), 2)).toEqual(d(-235n, 2));
    expect(roundDecimal(d(2345n, 3), 2, 'truncate')).toEqual(d(234n, 2));
    expect(roundDecimal(d(-2349n, 3), 2, 'truncate')).toEqual(d(-234n, 2));
    expect(roundDecimal(d(15n, 1), 2)).toEqual(d(15n, 1)); // fewer digits: as it is
    expect(trimDecimal(d(18925000n, 4))).toEqual(d(18925n, 1)); // 1892.5000 → 1892.5
    expect(trimDecimal(d(0n, 3))).toEqual(d(0n, 0));
    expect(trimDecimal(d(-10n, 0))).toEqual(d(-10n, 0));
  });

  it('has 10^n at hand for any n', () => {
    expect(pow10(0)).toBe(1n);
    expect(pow10(18)).toBe(1_000_000_000_000_000_000n);
    expect(pow10(45)).toBe(10n ** 45n);
  });
});
