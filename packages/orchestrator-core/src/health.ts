import type { Health, PollerStatus, SnapshotRead } from './types.js';

export interface HealthInput {
  readonly read: SnapshotRead;
  readonly poller: PollerStatus | null;
  readonly redisReachable: boolean;
  readonly ttlMs: number;
  /** The tolerance for a `fetched_at` ahead of this clock (quoted in the reason). */
  readonly maxClockSkewMs?: number;
  /** Consecutive poller failures at which the account turns unhealthy. */
  readonly pollerFailureLimit: number;
}

/** The broker's status for an account that can trade. */
export const ACTIVE_STATUS = 'ACTIVE';

/**
 * Judges one account from what is held in memory: every reason is listed, not just the first, so
 * an operator sees the whole picture (e.g. Redis down *and* the snapshot stale).
 */
export function judgeHealth(input: HealthInput): Health {
  const reasons: string[] = [];
  const { read, poller } = input;
  if (!input.redisReachable) reasons.push('redis_unreachable: answering from process memory only');
  if (!read.known) {
    reasons.push(`no_snapshot: ${read.reason}`);
  } else {
    const s = read.snapshot;
    if (read.skewed) {
      const tolerance = input.maxClockSkewMs === undefined ? '' : ` (tolerance ${input.maxClockSkewMs} ms)`;
      reasons.push(
        `clock_skew: the snapshot is dated ${-read.age_ms} ms ahead of this clock${tolerance}; its age is unknown`,
      );
    } else if (read.stale) {
      reasons.push(`snapshot_stale: age ${read.age_ms} ms exceeds the TTL of ${input.ttlMs} ms`);
    }
    if (s.status !== ACTIVE_STATUS) reasons.push(`broker_status: account status is ${s.status}, not ACTIVE`);
    if (s.account_blocked === true) reasons.push('account_blocked: the broker has blocked the account');
    if (s.trading_blocked === true) reasons.push('trading_blocked: the broker has blocked trading');
  }
  if (poller !== null && poller.consecutive_failures > 0) {
    const last = poller.last_error ?? 'unknown';
    // Credentials do not heal by retrying: one auth failure is enough.
    if (last === 'auth') {
      reasons.push('poller_auth: the broker rejected the credentials');
    } else if (poller.consecutive_failures >= input.pollerFailureLimit) {
      reasons.push(
        `poller_failing: ${poller.consecutive_failures} consecutive broker failures (last: ${last})`,
      );
    }
  }
  return { healthy: reasons.length === 0, reasons };
}
