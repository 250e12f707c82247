/**
 * When the leader calls the broker next. Pure functions of times in epoch ms, so the cadence rules
 * are tested without timers.
 *
 * - Regular fetches keep a fixed grid `refreshMs` apart: each is planned from the previous one's
 *   planned time, not from when its timer happened to fire, so a late timer or a slow broker does
 *   not make the poller drift below one call per interval. Slots that can no longer be met are
 *   skipped, never made up in a burst. A new leader continues the grid from the last attempt
 *   recorded in Redis instead of fetching at once.
 * - The spacing floor (`minIntervalMs`, backoff) counts from when the previous fetch *finished*
 *   (`doneAt`): the broker received that call before it answered, and receives the next one after
 *   it is sent, so the floor holds as the broker sees it, however slow either call was.
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

/** First fetch of a new leader, continuing from the last attempt any leader made. */
export function firstFetchAt(
  now: number,
  lastAttemptAt: number | null,
  s: CadenceSettings,
  random: Random = Math.random,
): number {
  const due = lastAttemptAt === null ? now : Math.max(now, lastAttemptAt + s.refreshMs);
  return due + Math.floor(random() * s.phaseJitterMs);
}

/** The next slot of the grid after a fetch planned for `dueAt` that finished at `doneAt`. */
export function nextAfterSuccess(dueAt: number, doneAt: number, s: CadenceSettings): number {
  const earliest = doneAt + s.minIntervalMs;
  const next = dueAt + s.refreshMs;
  if (next >= earliest) return next;
  return next + Math.ceil((earliest - next) / s.refreshMs) * s.refreshMs;
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

/** When an on-demand refresh runs, given when the previous fetch finished (null if none yet). */
export function refreshFetchAt(now: number, lastDoneAt: number | null, s: CadenceSettings): number {
  const earliest = lastDoneAt === null ? now : lastDoneAt + s.minIntervalMs;
  return Math.max(now + s.refreshCoalesceMs, earliest);
}
