import type { Redis } from 'ioredis';

// Compare-and-pexpire: only the holder may extend its lease.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

// Compare-and-delete; also clears the status hash's `leader` if it still names this holder.
const RELEASE = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if redis.call('HGET', KEYS[2], 'leader') == ARGV[1] then
  redis.call('HSET', KEYS[2], 'leader', '')
end
return 1`;

export type LeaseAttempt = { readonly held: true } | { readonly held: false; readonly retryInMs: number };

/**
 * One account's leader lease: `SET key holder NX PX leaseMs`, renewed by the holder and deleted
 * on shutdown. Whoever holds it is the only process calling the broker for the account.
 */
export class Lease {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly statusKey: string,
    readonly holder: string,
    readonly leaseMs: number,
  ) {}

  /**
   * Takes the lease if free (or still ours, e.g. after a renewal whose answer was lost);
   * otherwise says how long the current holder's lease has left.
   */
  async tryAcquire(): Promise<LeaseAttempt> {
    const ok = await this.redis.set(this.key, this.holder, 'PX', this.leaseMs, 'NX');
    if (ok === 'OK' || (await this.renew())) return { held: true };
    const pttl = await this.redis.pttl(this.key);
    // -2: gone meanwhile (retry now); -1: no expiry (cannot happen here, retry at the usual pace).
    if (pttl === -2) return { held: false, retryInMs: 0 };
    return { held: false, retryInMs: pttl < 0 ? this.leaseMs : pttl };
  }

  /** True if this holder still had the lease and it now runs for another `leaseMs`. */
  async renew(): Promise<boolean> {
    const r = await this.redis.eval(RENEW, 1, this.key, this.holder, this.leaseMs);
    return Number(r) === 1;
  }

  async release(): Promise<boolean> {
    const r = await this.redis.eval(RELEASE, 2, this.key, this.statusKey, this.holder);
    return Number(r) === 1;
  }
}
