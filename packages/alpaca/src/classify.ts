import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api/rest';
import type { BrokerEndpoint } from './endpoints.js';
import { BrokerError } from './errors.js';
import { DEFAULT_429_BLOCK_MS, readRateLimitHeaders } from './rate-limit-headers.js';

/**
 * Turns whatever the SDK threw into a BrokerError. The SDK raises `ApiError` (with the status and
 * the response headers) for non-2xx answers and `FetchError` for requests without an answer; its
 * deadline aborts with a `TimeoutError` cause.
 */
export function classifyFailure(
  error: unknown,
  endpoint: BrokerEndpoint,
  now: number = Date.now(),
): BrokerError {
  if (error instanceof BrokerError) return error;
  if (error instanceof ApiError) return fromStatus(error, endpoint, now);
  if (error instanceof FetchError) {
    const cause = error.cause as { name?: unknown } | undefined;
    if (cause?.name === 'TimeoutError') {
      return new BrokerError('timeout', endpoint, 'no complete answer before the deadline');
    }
    if (cause?.name === 'AbortError') return new BrokerError('network', endpoint, 'request aborted');
    return new BrokerError('network', endpoint, `request failed (${describeCause(error.cause)})`);
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError')
    return new BrokerError('timeout', endpoint, 'no complete answer before the deadline');
  if (name === 'AbortError') return new BrokerError('network', endpoint, 'request aborted');
  return new BrokerError('network', endpoint, `request failed (${describeCause(error)})`);
}

function fromStatus(error: ApiError, endpoint: BrokerEndpoint, now: number): BrokerError {
  const status = error.status;
  const code = error.code === undefined ? '' : ` code ${String(error.code)}`;
  const what = `HTTP ${status}${code}`;
  if (status === 429) {
    const { resetInMs } = readRateLimitHeaders(error.response.headers, now);
    const resetAt = now + (resetInMs ?? DEFAULT_429_BLOCK_MS);
    return new BrokerError('rate-limited', endpoint, what, { status, resetAt });
  }
  if (status === 401 || status === 403) return new BrokerError('auth', endpoint, what, { status });
  if (status === 408) return new BrokerError('timeout', endpoint, what, { status });
  if (status >= 500) return new BrokerError('server', endpoint, what, { status });
  return new BrokerError('client', endpoint, what, { status });
}

/** A short, secret-free description of a low-level failure: error codes and names only. */
function describeCause(cause: unknown): string {
  let current: unknown = cause;
  for (let depth = 0; depth < 4 && current; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  const name = (cause as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unknown error';
}
