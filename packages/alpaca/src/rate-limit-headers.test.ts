import { describe, expect, it } from 'vitest';
import {
  DEFAULT_429_BLOCK_MS,
  MAX_BLOCK_MS,
  MIN_BLOCK_MS,
  readRateLimitHeaders,
} from './rate-limit-headers.js';

const NOW = 1_800_000_000_000;

describe('readRateLimitHeaders', () => {
  it('reads remaining and the reset epoch second as a delay', () => {
    const h = new Headers({ 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': String(NOW / 1000 + 12) });
    expect(readRateLimitHeaders(h, NOW)).toEqual({ remaining: 0, resetInMs: 12_000 });
  });

  it('prefers Retry-After (seconds or HTTP date) over X-Ratelimit-Reset', () => {
    const seconds = new Headers({ 'Retry-After': '3', 'X-Ratelimit-Reset': String(NOW / 1000 + 40) });
    expect(readRateLimitHeaders(seconds, NOW).resetInMs).toBe(3_000);
    const date = new Headers({ 'Retry-After': new Date(NOW + 7_000).toUTCString() });
    expect(readRateLimitHeaders(date, NOW).resetInMs).toBe(7_000);
  });

  it('clamps a reset skewed into the past or far future', () => {
    const past = new Headers({ 'X-Ratelimit-Reset': String(NOW / 1000 - 30) });
    expect(readRateLimitHeaders(past, NOW).resetInMs).toBe(MIN_BLOCK_MS);
    const far = new Headers({ 'X-Ratelimit-Reset': String(NOW / 1000 + 3600) });
    expect(readRateLimitHeaders(far, NOW).resetInMs).toBe(MAX_BLOCK_MS);
  });

  it('reports nothing when the headers are absent or garbage', () => {
    expect(readRateLimitHeaders(new Headers(), NOW)).toEqual({ remaining: undefined, resetInMs: undefined });
    const junk = new Headers({ 'X-Ratelimit-Remaining': 'lots', 'X-Ratelimit-Reset': 'soon' });
    expect(readRateLimitHeaders(junk, NOW)).toEqual({ remaining: undefined, resetInMs: undefined });
    expect(DEFAULT_429_BLOCK_MS).toBeGreaterThan(MIN_BLOCK_MS);
  });
});
