/** The shortest and longest block a broker's rate-limit answer may impose on us. */
export const MIN_BLOCK_MS = 250;
// Alpaca's quota is per minute, so no honest reset lies further out; a broker clock far ahead of
// ours must not silence an account for longer than that.
export const MAX_BLOCK_MS = 61_000;
/** Used when a 429 carries neither `Retry-After` nor `X-Ratelimit-Reset`. */
export const DEFAULT_429_BLOCK_MS = 5_000;

export interface RateLimitHeaders {
  /** `X-Ratelimit-Remaining`, when sent. */
  readonly remaining: number | undefined;
  /** How long until the broker's quota resets, from `Retry-After` or `X-Ratelimit-Reset`. */
  readonly resetInMs: number | undefined;
}

/**
 * Reads Alpaca's throttling headers. `Retry-After` (seconds or an HTTP date) wins over
 * `X-Ratelimit-Reset` (the epoch second the quota refills, on the broker's clock). The result is
 * a duration, so the caller turns it into a time on its own clock; it is clamped to
 * [MIN_BLOCK_MS, MAX_BLOCK_MS] to survive skew between the two clocks.
 */
export function readRateLimitHeaders(headers: Headers, now: number = Date.now()): RateLimitHeaders {
  const remainingRaw = headers.get('x-ratelimit-remaining');
  const remaining =
    remainingRaw !== null && /^\d+$/.test(remainingRaw.trim()) ? Number(remainingRaw) : undefined;
  return { remaining, resetInMs: resetDelay(headers, now) };
}

function resetDelay(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return clamp(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return clamp(at - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const value = Number(reset);
    // Alpaca sends epoch seconds; a value this large can only be epoch milliseconds.
    const atMs = value > 1e12 ? value : value * 1000;
    return clamp(atMs - now);
  }
  return undefined;
}

function clamp(ms: number): number {
  return Math.min(MAX_BLOCK_MS, Math.max(MIN_BLOCK_MS, Math.ceil(ms)));
}
