export interface RateLimitState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** End of the current window, epoch ms. */
  resetAtMs: number;
}

const WINDOW_MS = 60_000;

/**
 * Per-key fixed window: a key's window opens with its first call and lasts 60 s; within it at most
 * `limit` calls are answered, the rest get 429 until the window ends. (Fixed, not rolling: simple to
 * reason about in tests, and the X-Ratelimit-Reset header names an exact instant.)
 */
export class FixedWindowRateLimiter {
  readonly limit: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, { startMs: number; used: number }>();

  constructor(limit: number, now: () => number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('rateLimitPerMin must be a positive integer');
    this.limit = limit;
    this.#now = now;
  }

  /** Counts one call for `key` (refused calls are not counted) and says whether it may proceed. */
  take(key: string): RateLimitState {
    const w = this.#window(key);
    const allowed = w.used < this.limit;
    if (allowed) w.used += 1;
    return { allowed, limit: this.limit, remaining: this.limit - w.used, resetAtMs: w.startMs + WINDOW_MS };
  }

  /** The window without counting a call (for answers the limiter did not decide). */
  peek(key: string): RateLimitState {
    const w = this.#window(key);
    return {
      allowed: w.used < this.limit,
      limit: this.limit,
      remaining: this.limit - w.used,
      resetAtMs: w.startMs + WINDOW_MS,
    };
  }

  reset(): void {
    this.#windows.clear();
  }

  #window(key: string): { startMs: number; used: number } {
    const now = this.#now();
    let w = this.#windows.get(key);
    if (!w || now >= w.startMs + WINDOW_MS) {
      w = { startMs: now, used: 0 };
      this.#windows.set(key, w);
    }
    return w;
  }
}

/** Alpaca's header names; the reset is epoch seconds. */
export function rateLimitHeaders(s: RateLimitState): Record<string, string> {
  return {
    'X-Ratelimit-Limit': String(s.limit),
    'X-Ratelimit-Remaining': String(Math.max(0, s.remaining)),
    'X-Ratelimit-Reset': String(Math.ceil(s.resetAtMs / 1000)),
  };
}
