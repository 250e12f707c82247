import { afterEach, describe, expect, it, vi } from 'vitest';
import { cappedDelay, ExpiryTimer, expiryDelay, MAX_TIMER_MS } from './expiry.js';

describe('expiryDelay', () => {
  const now = 1_000_000;

  it('waits until fetched_at + TTL (+1 ms so Redis has expired the key)', () => {
    // Fetched 400 ms ago with a 1000 ms TTL: 600 ms left.
    expect(expiryDelay(now - 400, true, 1000, now)).toBe(601);
  });

  it('never waits longer than the TTL, however far ahead fetched_at is', () => {
    expect(expiryDelay(now + 600_000, true, 1000, now)).toBe(1001);
    // 30 days ahead with a 90 s TTL.
    expect(expiryDelay(now + 30 * 86_400_000, true, 90_000, now)).toBe(90_001);
  });

  it('past the TTL: looks again shortly for a live hash, not at all for last-good', () => {
    // TTL/10 = 100 ms, within [25, 1000].
    expect(expiryDelay(now - 5000, true, 1000, now)).toBe(101);
    expect(expiryDelay(now - 5000, true, 100, now)).toBe(26);
    expect(expiryDelay(now - 500_000, true, 90_000, now)).toBe(1001);
    expect(expiryDelay(now - 5000, false, 1000, now)).toBeNull();
  });

  it('stays below 2^31-1 ms even for a TTL beyond it', () => {
    const ttl = 40 * 86_400_000;
    expect(expiryDelay(now, true, ttl, now)).toBe(MAX_TIMER_MS);
    expect(MAX_TIMER_MS).toBeLessThan(2 ** 31 - 1);
  });
});

describe('cappedDelay', () => {
  it.each([
    [-5, 0],
    [Number.NaN, 0],
    [0.2, 1],
    [1500, 1500],
    [2 ** 31, MAX_TIMER_MS],
    [Number.POSITIVE_INFINITY, MAX_TIMER_MS],
  ])('%d → %d', (input, expected) => {
    expect(cappedDelay(input)).toBe(expected);
  });
});

describe('ExpiryTimer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds one pending expiry: scheduling again replaces it, clear cancels it', () => {
    vi.useFakeTimers();
    const timer = new ExpiryTimer();
    const fired: string[] = [];
    timer.schedule(100, () => fired.push('first'));
    timer.schedule(200, () => fired.push('second'));
    vi.advanceTimersByTime(150);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(fired).toEqual(['second']);
    expect(timer.pending).toBe(false);
    timer.schedule(100, () => fired.push('third'));
    expect(timer.pending).toBe(true);
    timer.clear();
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['second']);
  });

  it('caps a delay of 30 days instead of letting Node fire it after 1 ms', () => {
    vi.useFakeTimers();
    const timer = new ExpiryTimer();
    let fired = 0;
    timer.schedule(30 * 86_400_000, () => fired++);
    vi.advanceTimersByTime(10_000);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toBe(1);
  });
});
