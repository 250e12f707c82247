import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  type CadenceSettings,
  firstFetchAt,
  nextAfterFailure,
  nextAfterSuccess,
  refreshFetchAt,
} from './schedule.js';

const s: CadenceSettings = {
  refreshMs: 30_000,
  minIntervalMs: 2_000,
  maxBackoffMs: 240_000,
  phaseJitterMs: 1_000,
  refreshCoalesceMs: 50,
};
const T = 1_000_000;

describe('cadence', () => {
  it('a new leader continues the previous cadence, plus a random phase', () => {
    expect(firstFetchAt(T, T - 10_000, s, () => 0)).toBe(T + 20_000);
    expect(firstFetchAt(T, T - 10_000, s, () => 0.5)).toBe(T + 20_500);
    // Long overdue or never fetched: now.
    expect(firstFetchAt(T, T - 100_000, s, () => 0)).toBe(T);
    expect(firstFetchAt(T, null, s, () => 0)).toBe(T);
  });

  it('keeps a fixed grid despite late timers, skipping slots it cannot meet', () => {
    // The fetch finished 300 ms after its slot (late timer, slow broker): the next slot stays on the grid.
    expect(nextAfterSuccess(T, T + 300, s)).toBe(T + 30_000);
    // It finished 29 s late: the next slot is too close, so it is skipped, not doubled up.
    expect(nextAfterSuccess(T, T + 29_000, s)).toBe(T + 60_000);
  });

  it('backs off exponentially from the interval, never below it, capped', () => {
    expect(backoffMs(1, s, () => 0)).toBe(30_000);
    expect(backoffMs(2, s, () => 0)).toBe(60_000);
    expect(backoffMs(4, s, () => 0)).toBe(240_000);
    expect(backoffMs(10, s, () => 0)).toBe(240_000);
    expect(backoffMs(1, s, () => 0.999)).toBeLessThan(30_000 * 1.25);
    // A cap below the interval cannot make it call faster than the interval.
    expect(backoffMs(3, { ...s, maxBackoffMs: 1_000 }, () => 0)).toBe(30_000);
  });

  it('waits for the broker reset when it is later than the backoff', () => {
    expect(nextAfterFailure(T, 1, T + 45_000, s, () => 0)).toBe(T + 45_000);
    expect(nextAfterFailure(T, 1, T + 5_000, s, () => 0)).toBe(T + 30_000);
    expect(nextAfterFailure(T, 2, undefined, s, () => 0)).toBe(T + 60_000);
  });

  it('refreshes on demand after the coalescing window, never within the minimum interval', () => {
    expect(refreshFetchAt(T, T - 10_000, s)).toBe(T + 50);
    expect(refreshFetchAt(T, T - 500, s)).toBe(T + 1_500);
    expect(refreshFetchAt(T, null, s)).toBe(T + 50);
  });
});
