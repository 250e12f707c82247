import { describe, expect, it } from 'vitest';
import { add, cmp, type Decimal, divideDecimal, divRoundHalfAway, mul, sub } from './scaled-decimal.js';

const d = (units: bigint, scale: number): Decimal => ({ units, scale });

describe('scaled decimal', () => {
  it('adds, subtracts and multiplies exactly across scales', () => {
    // 122011.09751111286868 + 0.1 = 122011.19751111286868
    expect(add(d(12201109751111286868n, 14), d(1n, 1))).toEqual(d(12201119751111286868n, 14));
    expect(sub(d(1n, 1), d(3n, 1))).toEqual(d(-2n, 1));
    expect(mul(d(15n, 1), d(25n, 2))).toEqual(d(375n, 3)); // 1.5 × 0.25 = 0.375
    expect(cmp(d(10n, 1), d(1n, 0))).toBe(0);
    expect(cmp(d(-1n, 0), d(0n, 0))).toBe(-1);
  });

  it('divides half away from zero, or truncating, and refuses zero', () => {
    expect(divRoundHalfAway(5n, 2n)).toBe(3n);
    expect(divRoundHalfAway(-5n, 2n)).toBe(-3n);
    expect(divRoundHalfAway(5n, -2n)).toBe(-3n);
    expect(divRoundHalfAway(4n, 3n)).toBe(1n);
    expect(divideDecimal(d(2n, 0), d(3n, 0), 4)).toEqual(d(6667n, 4));
    expect(divideDecimal(d(2n, 0), d(3n, 0), 4, 'truncate')).toEqual(d(6666n, 4));
    expect(divideDecimal(d(-1n, 0), d(8n, 0), 2)).toEqual(d(-13n, 2)); // -0.125 → -0.13
    expect(() => divideDecimal(d(1n, 0), d(0n, 3), 2)).toThrow(RangeError);
  });
});
