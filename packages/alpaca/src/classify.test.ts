import { ApiError, FetchError } from '@alpacahq/alpaca-trade-api/rest';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify.js';
import { BrokerError } from './errors.js';

const NOW = 1_800_000_000_000;

function apiError(status: number, headers: Record<string, string> = {}): ApiError {
  return new ApiError(new Response('{}', { status, headers }), status, 40010000, 'nope');
}

describe('classifyFailure', () => {
  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [408, 'timeout'],
    [500, 'server'],
    [503, 'server'],
    [404, 'client'],
    [422, 'client'],
  ] as const)('HTTP %i is %s', (status, kind) => {
    const e = classifyFailure(apiError(status), 'account', NOW);
    expect(e).toBeInstanceOf(BrokerError);
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.endpoint).toBe('account');
  });

  it('a 429 carries the reset time from its headers', () => {
    const e = classifyFailure(apiError(429, { 'Retry-After': '4' }), 'positions', NOW);
    expect(e.kind).toBe('rate-limited');
    expect(e.resetAt).toBe(NOW + 4_000);
  });

  it('the SDK deadline is a timeout, other fetch failures are network errors', () => {
    const timeout = new FetchError(new DOMException('late', 'TimeoutError'));
    expect(classifyFailure(timeout, 'account').kind).toBe('timeout');
    const refused = new FetchError(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    const e = classifyFailure(refused, 'account');
    expect(e.kind).toBe('network');
    expect(e.message).toContain('ECONNREFUSED');
  });

  it('passes a BrokerError through unchanged', () => {
    const original = new BrokerError('malformed', 'account', 'bad');
    expect(classifyFailure(original, 'account')).toBe(original);
  });
});
