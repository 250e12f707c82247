/**
 * The one timer of an account manager: it fires when the live hash it holds should have expired in
 * Redis, so memory re-reads (a newer snapshot, or the last-good copy).
 */

/** Node clamps a delay of 2^31 ms or more to 1 ms and warns; every delay stays below that. */
export const MAX_TIMER_MS = 2 ** 31 - 2;

export function cappedDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(Math.ceil(ms), MAX_TIMER_MS);
}

/**
 * Milliseconds until a held snapshot should be re-read, or null when there is nothing to wait for.
 *
 * The live hash expires at most `ttlMs` after it was written, and it was written no later than now,
 * so a wait longer than `ttlMs` is never needed (a snapshot dated in the future would otherwise
 * wait for its date). Past the TTL a live hash may not have expired yet (it was written a little
 * after the broker answered): look again shortly, or memory would keep calling an expired snapshot
 * "redis" until the next write. A last-good copy past its TTL has nothing to wait for.
 */
export function expiryDelay(
  fetchedAt: number,
  fromLiveHash: boolean,
  ttlMs: number,
  now: number,
): number | null {
  const due = fetchedAt + ttlMs - now;
  if (due >= 0) return cappedDelay(Math.min(due, ttlMs) + 1);
  if (!fromLiveHash) return null;
  return cappedDelay(Math.min(1000, Math.max(25, ttlMs / 10)) + 1);
}

/** Holds at most one pending expiry; scheduling again replaces it. Unref'd: it never keeps a process up. */
export class ExpiryTimer {
  private timer: NodeJS.Timeout | null = null;

  /** Runs `onExpire` after `delayMs` (capped below 2^31 ms), replacing any pending expiry. */
  schedule(delayMs: number, onExpire: () => void): void {
    this.clear();
    const timer = setTimeout(() => {
      if (this.timer === timer) this.timer = null;
      onExpire();
    }, cappedDelay(delayMs));
    timer.unref();
    this.timer = timer;
  }

  clear(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  get pending(): boolean {
    return this.timer !== null;
  }
}
