import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  type CadenceSettings,
  firstFetchAt,
  nextAfterFailure,
  nextAfterSuccess,
  refreshFetchAt,
  spacingFloor,
} from './schedule.js';

const s: CadenceSettings = {
  refreshMs: 30_000,
  minIntervalMs: 2_000,
  maxBackoffMs: 240_000,
  phaseJitterMs: 1_000,
  refreshCoalesceMs: 50,
};
const T = 1_000_000;

/** SNAPSHOT_REFRESH_MS=1000 SNAPSHOT_MIN_INTERVAL_MS=1000. */
const everySecond: CadenceSettings = { ...s, refreshMs: 1_000, minIntervalMs: 1_000, phaseJitterMs: 0 };

describe('cadence', () => {
  it('a new leader continues the previous cadence, plus a random phase', () => {
    expect(firstFetchAt(T, T - 10_000, s, () => 0)).toBe(T + 20_000);
    expect(firstFetchAt(T, T - 10_000, s, () => 0.5)).toBe(T + 20_500);
    // Long overdue or never fetched: now.
    expect(firstFetchAt(T, T - 100_000, s, () => 0)).toBe(T);
    expect(firstFetchAt(T, null, s, () => 0)).toBe(T);
    // A floor above the interval holds across leaders too: 100 ms ago + 1500 ms.
    expect(firstFetchAt(T, T - 100, { ...s, refreshMs: 1_000, minIntervalMs: 1_500 }, () => 0)).toBe(
      T + 1_400,
    );
  });

  it('keeps a fixed grid despite late timers, skipping slots it cannot meet', () => {
    // The fetch called 300 ms after its slot (late timer): the next slot stays on the grid.
    expect(nextAfterSuccess(T, T + 300, s)).toEqual({ at: T + 30_000, slot: T + 30_000 });
    // It called 29 s late: the next slot (T + 30 s) is still fetched, at the floor (T + 31 s), and
    // the one after stays at T + 60 s. One fetch per slot, never two.
    expect(nextAfterSuccess(T, T + 29_000, s)).toEqual({ at: T + 31_000, slot: T + 30_000 });
    expect(nextAfterSuccess(T + 30_000, T + 31_000, s)).toEqual({ at: T + 60_000, slot: T + 60_000 });
    // It called 61 s late (a stalled process): the floor (T + 63 s) is past all of slot T + 30 s,
    // which is skipped, not made up; slot T + 60 s is fetched at the floor.
    expect(nextAfterSuccess(T, T + 61_000, s)).toEqual({ at: T + 63_000, slot: T + 60_000 });
  });

  it('with the minimum interval equal to the interval, a fetch a few ms late keeps the next slot', () => {
    // Slot T, called 5 ms late. The floor is T + 5 + 1000, just after the next slot (T + 1000):
    // the next fetch waits 5 ms for the floor, and the grid stays at T + 1000 (not T + 2000).
    expect(nextAfterSuccess(T, T + 5, everySecond)).toEqual({ at: T + 1_005, slot: T + 1_000 });
    // That fetch called at T + 1006: the one after stands for slot T + 2000, at its floor.
    expect(nextAfterSuccess(T + 1_000, T + 1_006, everySecond)).toEqual({ at: T + 2_006, slot: T + 2_000 });
  });

  it('refresh = minimum = 1 s, each call going out 2 ms after its planned time: 60 fetches a minute, none closer than 1 s', () => {
    // By hand: starts at T, T + 1002, T + 2004, ..., T + 1002 k; the 60th (k = 59) at T + 59118,
    // the 61st (k = 60) at T + 60120, after the minute.
    const starts = [T];
    let plan = nextAfterSuccess(T, T, everySecond);
    while (plan.at + 2 < T + 60_000) {
      const calledAt = plan.at + 2;
      starts.push(calledAt);
      plan = nextAfterSuccess(plan.slot, calledAt, everySecond);
    }
    expect(starts).toHaveLength(60);
    expect(starts[1]).toBe(T + 1_002);
    expect(starts[59]).toBe(T + 59_118);
    expect(plan.at + 2).toBe(T + 60_120);
    for (let i = 1; i < starts.length; i += 1) expect(starts[i]! - starts[i - 1]!).toBe(1_002);
  });

  it('with a floor below the interval, lateness does not carry over to the next slot', () => {
    const halfFloor = { ...everySecond, minIntervalMs: 500 };
    expect(nextAfterSuccess(T, T + 5, halfFloor)).toEqual({ at: T + 1_000, slot: T + 1_000 });
    expect(nextAfterSuccess(T, T + 450, halfFloor)).toEqual({ at: T + 1_000, slot: T + 1_000 });
    // 700 ms late: the floor (T + 1200) is after the next slot, which is kept and fetched then.
    expect(nextAfterSuccess(T, T + 700, halfFloor)).toEqual({ at: T + 1_200, slot: T + 1_000 });
    expect(nextAfterSuccess(T + 1_000, T + 1_200, halfFloor)).toEqual({ at: T + 2_000, slot: T + 2_000 });
  });

  it('with a floor above the interval, fetches are exactly the floor apart', () => {
    const highFloor = { ...everySecond, minIntervalMs: 1_500 };
    // Slot T at T: slot T + 1000 is fetched at the floor, T + 1500.
    expect(nextAfterSuccess(T, T, highFloor)).toEqual({ at: T + 1_500, slot: T + 1_000 });
    // Called at T + 1500 for slot T + 1000: the floor (T + 3000) passes all of slot T + 2000,
    // which is skipped; slot T + 3000 is at the floor.
    expect(nextAfterSuccess(T + 1_000, T + 1_500, highFloor)).toEqual({ at: T + 3_000, slot: T + 3_000 });
  });

  it('the spacing floor counts from the previous call', () => {
    expect(spacingFloor(T, s)).toBe(T + 2_000);
    expect(spacingFloor(null, s)).toBe(Number.NEGATIVE_INFINITY);
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
    // The previous fetch called 500 ms ago: 1500 ms more.
    expect(refreshFetchAt(T, T - 500, s)).toBe(T + 1_500);
    expect(refreshFetchAt(T, null, s)).toBe(T + 50);
    // Every second, refresh asked 200 ms after a fetch called: at the floor, 800 ms later.
    expect(refreshFetchAt(T + 200, T, everySecond)).toBe(T + 1_000);
  });
});
