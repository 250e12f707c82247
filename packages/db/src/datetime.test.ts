import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromSqlDateTime, toSqlDateTime } from './datetime.js';

describe('toSqlDateTime', () => {
  it('keeps microseconds and pads shorter fractions to six digits', () => {
    expect(toSqlDateTime('2026-11-25T15:21:37.123456Z')).toBe('2026-11-25 15:21:37.123456');
    expect(toSqlDateTime('2026-11-25T15:21:37.1Z')).toBe('2026-11-25 15:21:37.100000');
    expect(toSqlDateTime('2026-11-25T15:21:37Z')).toBe('2026-11-25 15:21:37.000000');
  });

  it('refuses offsets, excess precision and impossible dates', () => {
    expect(() => toSqlDateTime('2026-11-25T15:21:37.123456+01:00')).toThrow(RangeError);
    expect(() => toSqlDateTime('2026-11-25T15:21:37.1234567Z')).toThrow(RangeError);
    expect(() => toSqlDateTime('2026-02-30T00:00:00Z')).toThrow(RangeError);
    expect(() => toSqlDateTime('2026-11-25T24:00:00Z')).toThrow(RangeError);
  });
});

describe('toSqlDateTime date check', () => {
  it('accepts exactly the date-times a JS Date reads back unchanged', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const parts = fc.tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61));
    fc.assert(
      fc.property(parts, ([y, mo, d, h, mi, s]) => {
        const date = `${String(y).padStart(4, '0')}-${mo}-${d}`;
        const time = `${h}:${mi}:${s}`;
        const ms = Date.parse(`${date}T${time}Z`);
        const real = !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 19) === `${date}T${time}`;
        const accepted = (() => {
          try {
            toSqlDateTime(`${date}T${time}.5Z`);
            return true;
          } catch {
            return false;
          }
        })();
        expect(accepted).toBe(real);
      }),
      { numRuns: 20_000 },
    );
    expect(toSqlDateTime('2000-02-29T00:00:00Z')).toBe('2000-02-29 00:00:00.000000');
    expect(() => toSqlDateTime('1900-02-29T00:00:00Z')).toThrow(RangeError);
  });
});

describe('fromSqlDateTime', () => {
  it('gives the canonical ISO form', () => {
    expect(fromSqlDateTime('2026-11-25 15:21:37.123456')).toBe('2026-11-25T15:21:37.123456Z');
    expect(fromSqlDateTime('2026-11-25 15:21:37')).toBe('2026-11-25T15:21:37.000000Z');
  });

  it('round-trips with toSqlDateTime', () => {
    const iso = '1970-01-01T00:00:00.000001Z';
    expect(fromSqlDateTime(toSqlDateTime(iso))).toBe(iso);
  });

  it('refuses anything else', () => {
    expect(() => fromSqlDateTime('2026-11-25T15:21:37Z')).toThrow(RangeError);
  });
});
