import { RedisRateLimiter } from '@friren/alpaca';
import type { Redis } from 'ioredis';
import type { PollerMetrics } from './metrics.js';

export interface KeyLimitersOptions {
  readonly redis: Redis;
  /** FRIREN_PREFIX. */
  readonly prefix: string;
  /** ALPACA_RATE_LIMIT_PER_MIN. */
  readonly limit: number;
  readonly metrics: PollerMetrics;
}

/**
 * One shared rate limiter per API key (stored under the key's hash): accounts sharing a key share
 * its quota, and a rotated key gets the limiter of the new key, which every process using that
 * key shares too.
 */
export class KeyLimiters {
  private readonly byKeyId = new Map<string, RedisRateLimiter>();

  constructor(private readonly opts: KeyLimitersOptions) {}

  for(keyId: string): RedisRateLimiter {
    let limiter = this.byKeyId.get(keyId);
    if (limiter === undefined) {
      limiter = new RedisRateLimiter({
        redis: this.opts.redis,
        prefix: this.opts.prefix,
        keyId,
        limit: this.opts.limit,
      });
      this.byKeyId.set(keyId, limiter);
      this.opts.metrics.trackLimiter(limiter);
    }
    return limiter;
  }

  /** Forgets the limiters of keys not in `inUse` (rotated out); their quota state stays in Redis. */
  retain(inUse: ReadonlySet<string>): void {
    for (const [keyId, limiter] of this.byKeyId) {
      if (inUse.has(keyId)) continue;
      this.byKeyId.delete(keyId);
      this.opts.metrics.untrackLimiter(limiter);
    }
  }
}
