import { describe, expect, it } from 'vitest';
import { NewYorkDayClock, newYorkDay, utcDay } from './day.js';

describe('utcDay', () => {
  it('takes the date of a UTC or zone-less time and converts an offset', () => {
    expect(utcDay('2024-01-02T10:00:00.000000Z')).toBe('2024-01-02');
    expect(utcDay('2024-01-02 10:00:00')).toBe('2024-01-02');
    expect(utcDay('2024-01-02T23:30:00.123456-05:00')).toBe('2024-01-03');
    expect(utcDay('2024-01-02T01:00:00+0200')).toBe('2024-01-01');
    expect(() => utcDay('yesterday')).toThrow(RangeError);
  });
});

describe('newYorkDay', () => {
  it('is the broker’s date: New York midnight is 05:00Z in winter, 04:00Z in summer', () => {
    expect(newYorkDay('2024-01-03T04:59:59.999Z')).toBe('2024-01-02');
    expect(newYorkDay('2024-01-03T05:00:00Z')).toBe('2024-01-03');
    expect(newYorkDay('2024-07-03T03:59:59Z')).toBe('2024-07-02');
    expect(newYorkDay('2024-07-03T04:00:00Z')).toBe('2024-07-03');
    expect(newYorkDay('2024-01-02 23:00:00')).toBe('2024-01-02'); // zone-less: UTC
    expect(newYorkDay('2024-01-02T23:30:00-05:00')).toBe('2024-01-02');
    expect(() => newYorkDay('yesterday')).toThrow(RangeError);
  });

  it('the clock agrees with the slow path around midnights and DST changes', () => {
    const clock = new NewYorkDayClock();
    const times = [
      '2024-03-09T12:00:00Z',
      '2024-03-10T04:59:59Z',
      '2024-03-10T05:00:00Z', // DST starts on the 10th at 2:00 local
      '2024-03-10T05:00:00.000001Z',
      '2024-03-11T03:59:59.999999Z',
      '2024-03-11T04:00:00Z',
      '2024-11-03T03:59:59Z',
      '2024-11-03T04:00:00Z', // DST ends on 3 Nov
      '2024-11-04T04:59:59Z',
      '2024-11-04T05:00:00Z',
      '2024-11-04T05:00:00+01:00',
      '2024-11-04T09:00:00Z',
      '2024-11-03T09:00:00Z', // backwards
    ];
    for (const t of times) expect(clock.dayOf(t), t).toBe(newYorkDay(t));
    expect(clock.dayOf('2024-03-10T05:00:00.000001Z')).toBe('2024-03-10');
    expect(clock.dayOf('2024-03-11T03:59:59.999999Z')).toBe('2024-03-10');
    expect(clock.dayOf('2024-03-11T04:00:00Z')).toBe('2024-03-11');
  });
});
