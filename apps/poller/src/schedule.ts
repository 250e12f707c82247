/**
 * When the leader calls the broker next. Pure functions of times in epoch ms, so the cadence rules
 * are tested without timers.
 *
 * - Regular fetches keep a fixed grid `refreshMs` apart: each is planned from the previous one's
 *   grid slot, not from when its timer happened to fire, so a late timer or a slow broker does not
 *   make the poller drift below one call per interval. A slot is fetched at its time or, when the
 *   spacing floor falls after it, at the floor; a slot whose whole interval passes before the floor
 *   is skipped, never made up in a burst. A new leader continues the grid from the last attempt
 *   recorded in Redis instead of fetching at once.
 * - The spacing floor (`minIntervalMs`) counts from when the previous fetch's call went out, for
 *   every pair of fetches (regular, on-demand, retries, probes). Counted from when it finished,
 *   each interval would grow by the fetch's own duration: with `minIntervalMs` equal to
 *   `refreshMs`, every slot would be missed and the cadence halved.
 * - Jitter is a random phase (0..phaseJitterMs) when a leader takes over and a random stretch of a
 *   failure backoff: it spreads accounts apart without ever calling faster than the interval.
 * - After failures the pause doubles from `refreshMs` up to `maxBackoffMs`, and never ends before
 *   the broker's rate-limit reset.
 * - An on-demand refresh fetches after `coalesceMs`, but never within `minIntervalMs` of the
 *   previous fetch.
 */

export interface CadenceSettings {
  readonly refreshMs: number;
  readonly minIntervalMs: number;
  readonly maxBackoffMs: number;
  readonly phaseJitterMs: number;
  readonly refreshCoalesceMs: number;
}

export type Random = () => number;

/** A regular fetch: when to call, and the grid slot it stands for (later slots count from it). */
export interface PlannedFetch {
  readonly at: number;
  readonly slot: number;
}

/** The earliest time of the next fetch, given when the previous one called (null if none yet). */
export function spacingFloor(lastCalledAt: number | null, s: CadenceSettings): number {
  return lastCalledAt === null ? Number.NEGATIVE_INFINITY : lastCalledAt + s.minIntervalMs;
}

/** First fetch of a new leader, continuing from the last attempt any leader made. */
export function firstFetchAt(
  now: number,
  lastAttemptAt: number | null,
  s: CadenceSettings,
  random: Random = Math.random,
): number {
  const due =
    lastAttemptAt === null ? now : Math.max(now, lastAttemptAt + s.refreshMs, spacingFloor(lastAttemptAt, s));
  return due + Math.floor(random() * s.phaseJitterMs);
}

/**
 * The next regular fetch after the one planned for grid slot `slot` that called at `calledAt`.
 * With `minIntervalMs <= refreshMs` it is the very next slot unless that call was a whole interval
 * late.
 */
export function nextAfterSuccess(slot: number, calledAt: number, s: CadenceSettings): PlannedFetch {
  const floor = spacingFloor(calledAt, s);
  let next = slot + s.refreshMs;
  if (floor >= next + s.refreshMs) next += Math.floor((floor - next) / s.refreshMs) * s.refreshMs;
  return { at: Math.max(next, floor), slot: next };
}

export function backoffMs(
  consecutiveFailures: number,
  s: CadenceSettings,
  random: Random = Math.random,
): number {
  const exponent = Math.min(Math.max(consecutiveFailures - 1, 0), 20);
  const base = Math.min(s.refreshMs * 2 ** exponent, Math.max(s.maxBackoffMs, s.refreshMs));
  // Stretch by up to 25 % so replicas of several accounts do not retry in lockstep.
  return Math.floor(base * (1 + random() * 0.25));
}

export function nextAfterFailure(
  doneAt: number,
  consecutiveFailures: number,
  resetAt: number | undefined,
  s: CadenceSettings,
  random: Random = Math.random,
): number {
  const due = doneAt + backoffMs(consecutiveFailures, s, random);
  return resetAt === undefined ? due : Math.max(due, resetAt);
}

/** When an on-demand refresh runs, given when the previous fetch called (null if none yet). */
export function refreshFetchAt(now: number, lastCalledAt: number | null, s: CadenceSettings): number {
  return Math.max(now + s.refreshCoalesceMs, spacingFloor(lastCalledAt, s));
}
