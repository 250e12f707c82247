import { randomUUID } from 'node:crypto';
import { redisKeys } from '@friren/contracts';
import type { Redis } from 'ioredis';
import { apiKeyHash } from './key-hash.js';
import { RATE_LIMIT_SCRIPT } from './rate-limit-script.js';

export interface RateLimiterOptions {
  readonly redis: Redis;
  /** FRIREN_PREFIX. */
  readonly prefix: string;
  /** The API key id whose quota this is; only its hash is stored. */
  readonly keyId: string;
  /** ALPACA_RATE_LIMIT_PER_MIN. */
  readonly limit: number;
  /** The rolling window; Alpaca's is one minute (shorter only in tests). */
  readonly windowMs?: number;
}

export interface AcquireOptions {
  /** Give up (not granted) rather than wait longer than this. */
  readonly maxWaitMs: number;
  /** The latest a granted call can still reach the broker: the client's request deadline plus margin. */
  readonly reserveMs: number;
  readonly signal?: AbortSignal;
}

export type AcquireResult =
  | {
      readonly granted: true;
      /** Calls left in the current window after this one. */
      readonly remaining: number;
      /** Records that the call's answer is back, so its slot frees WINDOW ms from now, not from its deadline. */
      settle(): Promise<void>;
    }
  | {
      readonly granted: false;
      /** Local epoch ms at which a call may be admitted again (as far as is known now). */
      readonly retryAt: number;
    };

export interface RateLimitState {
  readonly remaining: number;
  /** > 0 while the window is full or the broker told us to stop. */
  readonly waitMs: number;
}

/** Never sleep longer than this in one go, so a waiter notices slots freed early by `settle`. */
const MAX_NAP_MS = 1_000;

/**
 * The broker quota shared by every process using one API key (see rate-limit-script.ts for the
 * algorithm and its guarantee). Callers wait for a slot up to a bound and then give up: nothing
 * ever queues forever behind a throttled broker.
 */
export class RedisRateLimiter {
  readonly keyHash: string;
  readonly limit: number;
  readonly windowMs: number;
  private readonly redis: Redis;
  private readonly keys: readonly [string, string];
  private readonly memberPrefix = randomUUID();
  private sequence = 0;

  constructor(opts: RateLimiterOptions) {
    if (!Number.isSafeInteger(opts.limit) || opts.limit < 1)
      throw new RangeError('limit must be a positive integer');
    this.redis = opts.redis;
    this.limit = opts.limit;
    this.windowMs = opts.windowMs ?? 60_000;
    this.keyHash = apiKeyHash(opts.keyId);
    const windowKey = redisKeys(opts.prefix).rateLimit(this.keyHash);
    this.keys = [windowKey, `${windowKey}:blocked`];
  }

  async acquire(opts: AcquireOptions): Promise<AcquireResult> {
    const deadline = Date.now() + Math.max(0, opts.maxWaitMs);
    for (;;) {
      opts.signal?.throwIfAborted();
      const member = `${this.memberPrefix}:${++this.sequence}`;
      const [granted, waitMs, remaining] = await this.exec('acquire', member, Math.ceil(opts.reserveMs));
      if (granted === 1) return { granted: true, remaining, settle: () => this.settle(member) };
      const now = Date.now();
      // A wait that cannot end within the bound is refused at once instead of slept through.
      if (now + waitMs > deadline) return { granted: false, retryAt: now + waitMs };
      await nap(Math.min(waitMs, MAX_NAP_MS), opts.signal);
    }
  }

  /** A 429 or `X-Ratelimit-Remaining: 0`: admit nobody for `ms` (an existing longer block stands). */
  async block(ms: number): Promise<void> {
    if (ms <= 0) return;
    await this.exec('block', '', Math.ceil(ms));
  }

  /** Slots left and the wait before the next one, without taking any. */
  async state(): Promise<RateLimitState> {
    const [, waitMs, remaining] = await this.exec('peek', '', 0);
    return { remaining, waitMs };
  }

  private async settle(member: string): Promise<void> {
    await this.exec('settle', member, 0);
  }

  private async exec(mode: string, member: string, ms: number): Promise<[number, number, number]> {
    const reply = await RATE_LIMIT_SCRIPT.run(this.redis, this.keys, [
      mode,
      this.limit,
      this.windowMs,
      member,
      ms,
    ]);
    const [a, b, c] = reply as [number, number, number];
    return [Number(a), Number(b), Number(c)];
  }
}

function nap(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
