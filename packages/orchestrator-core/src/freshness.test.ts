import { describe, expect, it } from 'vitest';
import { isFresh, judgeFreshness } from './freshness.js';

describe('judgeFreshness (TTL 1000 ms, tolerance 100 ms)', () => {
  it.each([
    // age, stale, skewed
    [0, false, false],
    [1000, false, false],
    [1001, true, false],
    // A little ahead (clocks differ slightly): fresh, and the age stays signed.
    [-100, false, false],
    [-101, true, true],
    // Ten minutes ahead: never clamped to 0 and called fresh.
    [-600_000, true, true],
  ])('age %i ms → stale %s, skewed %s', (age, stale, skewed) => {
    expect(judgeFreshness(age, 1000, 100)).toEqual({ age_ms: age, stale, skewed });
    expect(isFresh(age, 1000, 100)).toBe(!stale);
  });
});
