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
