import type { FrirenConfig } from '@friren/config';

/** Timings derived from the configuration; tests may override any of them. */
export interface PollerTuning {
  /** Lease lifetime: how long a crashed leader blocks a takeover. */
  readonly leaseMs: number;
  /** The leader renews, and a follower retries, this often. */
  readonly renewEveryMs: number;
  /** Deadline of one broker request, answer body included. */
  readonly requestTimeoutMs: number;
  /** How long a fetch waits for a shared rate-limit slot before failing as rate-limited. */
  readonly maxRateLimitWaitMs: number;
  /** Refresh requests within this window are served by one fetch. */
  readonly refreshCoalesceMs: number;
  /** A random delay up to this before a new leader's first fetch, so accounts do not fetch in step. */
  readonly phaseJitterMs: number;
  /** The longest pause between attempts while the broker keeps failing. */
  readonly maxBackoffMs: number;
  /** Consecutive failures after which the account is marked unhealthy. */
  readonly unhealthyAfterFailures: number;
  /** How soon a failed portfolio-history fetch is tried again. */
  readonly historyRetryMs: number;
}

export function deriveTuning(config: FrirenConfig, overrides: Partial<PollerTuning> = {}): PollerTuning {
  const refresh = config.snapshot.refreshMs;
  // Three refresh intervals, so one slow Redis round trip or event-loop stall never flaps the
  // leadership; at least 2 s for very short test intervals; at most 15 s, so a crashed leader
  // costs at most one missed 30 s poll.
  const leaseMs = overrides.leaseMs ?? clamp(3 * refresh, 2_000, 15_000);
  return {
    leaseMs,
    renewEveryMs: overrides.renewEveryMs ?? Math.max(50, Math.floor(leaseMs / 3)),
    requestTimeoutMs: overrides.requestTimeoutMs ?? clamp(refresh, 1_000, 10_000),
    // Waiting longer than one interval is pointless: the next scheduled fetch would come anyway.
    maxRateLimitWaitMs: overrides.maxRateLimitWaitMs ?? Math.min(refresh, 5_000),
    refreshCoalesceMs: overrides.refreshCoalesceMs ?? 50,
    phaseJitterMs: overrides.phaseJitterMs ?? Math.min(Math.floor(refresh / 10), 1_000),
    maxBackoffMs: overrides.maxBackoffMs ?? Math.min(8 * refresh, Math.max(refresh, 300_000)),
    unhealthyAfterFailures: overrides.unhealthyAfterFailures ?? 3,
    historyRetryMs: overrides.historyRetryMs ?? Math.min(config.portfolioHistoryRefreshMs, 60_000),
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
