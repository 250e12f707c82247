import { describe, expect, it } from 'vitest';
import { utcDay } from './day.js';

describe('utcDay', () => {
  it('takes the date of a UTC or zone-less time and converts an offset', () => {
    expect(utcDay('2024-01-02T10:00:00.000000Z')).toBe('2024-01-02');
    expect(utcDay('2024-01-02 10:00:00')).toBe('2024-01-02');
    expect(utcDay('2024-01-02T23:30:00.123456-05:00')).toBe('2024-01-03');
    expect(utcDay('2024-01-02T01:00:00+0200')).toBe('2024-01-01');
    expect(() => utcDay('yesterday')).toThrow(RangeError);
  });
});
