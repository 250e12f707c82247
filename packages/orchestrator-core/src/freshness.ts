/**
 * How fresh a snapshot is, from its `fetched_at` (the poller's clock) and this process's clock.
 * Clocks disagree a little; a snapshot dated further ahead than `toleranceMs` says nothing
 * trustworthy about its age, so it is labelled skewed and never counts as fresh.
 */

/** Default tolerance for a `fetched_at` ahead of this clock (NTP-synced hosts differ by far less). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 2_000;

export interface Freshness {
  /** now − fetched_at, signed: negative when the snapshot is dated ahead of this clock. */
  readonly age_ms: number;
  /** Past the TTL, or skewed. */
  readonly stale: boolean;
  /** Dated more than the tolerance ahead of this clock. */
  readonly skewed: boolean;
}

/** Dated further ahead of this clock than the tolerance. */
export function isSkewed(age: number, toleranceMs: number): boolean {
  return age < -toleranceMs;
}

/** Past the TTL, or skewed: not fresh either way. */
export function isStale(age: number, ttlMs: number, toleranceMs: number): boolean {
  return age > ttlMs || age < -toleranceMs;
}

/** Whether memory may answer without asking Redis: within the TTL and not skewed. */
export function isFresh(age: number, ttlMs: number, toleranceMs: number): boolean {
  return !isStale(age, ttlMs, toleranceMs);
}

export function judgeFreshness(age: number, ttlMs: number, toleranceMs: number): Freshness {
  return { age_ms: age, stale: isStale(age, ttlMs, toleranceMs), skewed: isSkewed(age, toleranceMs) };
}
