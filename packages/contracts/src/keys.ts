/**
 * Redis key and channel names (docs/CONTRACT.md §2). Every process builds names here so a typo cannot
 * split one key into two. `P` is FRIREN_PREFIX (may be a `{hash-tag}` on Redis Cluster).
 */
export interface RedisKeys {
  readonly prefix: string;
  snapshot(alias: string): string;
  lastGood(alias: string): string;
  positions(alias: string): string;
  poller(alias: string): string;
  history(alias: string): string;
  performance(alias: string): string;
  /** Pub/sub: `{"kind":"snapshot"|"performance","version":N}`. */
  updatedChannel(alias: string): string;
  /** Pub/sub: a request for a fresh snapshot now. */
  refreshChannel(alias: string): string;
  /** Lease electing the poller leader for one account (internal, not in the contract). */
  pollerLease(alias: string): string;
  /** Token bucket shared by every process using one broker key (internal). */
  rateLimit(keyHash: string): string;
}

export function redisKeys(prefix: string): RedisKeys {
  const account = (alias: string) => `${prefix}:account:${alias}`;
  return {
    prefix,
    snapshot: (a) => `${account(a)}:snapshot`,
    lastGood: (a) => `${account(a)}:snapshot:last-good`,
    positions: (a) => `${account(a)}:positions`,
    poller: (a) => `${account(a)}:poller`,
    history: (a) => `${account(a)}:history`,
    performance: (a) => `${account(a)}:performance`,
    updatedChannel: (a) => `${account(a)}:updated`,
    refreshChannel: (a) => `${account(a)}:refresh`,
    pollerLease: (a) => `${account(a)}:poller:lease`,
    rateLimit: (keyHash) => `${prefix}:ratelimit:${keyHash}`,
  };
}
