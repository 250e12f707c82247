import {
  appConfigLoader,
  DEFAULT_OPS_PORTS,
  type FrirenConfig,
  type IntSetting,
  intSettingsFromEnv,
} from '@friren/config';

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
  /**
   * After the broker refused the credentials, the wait before one probe call with the same ones;
   * doubled after each refused probe up to `authProbeMaxMs`. A handful of calls an hour: bad
   * credentials are not hammered, and a refusal that was the broker's glitch heals by itself.
   */
  readonly authProbeMs: number;
  readonly authProbeMaxMs: number;
  /** How often `*_FILE` credentials are read again to pick up a rotated secret; 0: only on SIGHUP. */
  readonly credentialReloadMs: number;
}

/** The poller's own knobs (not in docs/CONTRACT.md §1), read from POLLER_* variables. */
export type PollerSettings = Pick<PollerTuning, 'authProbeMs' | 'authProbeMaxMs' | 'credentialReloadMs'>;

export const DEFAULT_POLLER_SETTINGS: PollerSettings = {
  authProbeMs: 60_000,
  authProbeMaxMs: 900_000,
  credentialReloadMs: 10_000,
};

const ENV: Readonly<Record<keyof PollerSettings, IntSetting>> = {
  authProbeMs: { variable: 'POLLER_AUTH_PROBE_MS', min: 100, max: 86_400_000 },
  authProbeMaxMs: { variable: 'POLLER_AUTH_PROBE_MAX_MS', min: 100, max: 86_400_000 },
  credentialReloadMs: { variable: 'POLLER_CREDENTIAL_RELOAD_MS', min: 0, max: 86_400_000 },
};

/** Reads POLLER_* from the environment; throws one ConfigError naming every bad variable. */
export function pollerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PollerSettings {
  return intSettingsFromEnv(env, ENV, DEFAULT_POLLER_SETTINGS);
}

/**
 * The poller's configuration from the environment: docs/CONTRACT.md §1 with the snapshot timings
 * checked against each other (the poller keeps them) and POLLER_*, every bad variable in one
 * ConfigError.
 */
export const load = appConfigLoader({ opsPort: DEFAULT_OPS_PORTS.poller }, pollerSettingsFromEnv);

export function deriveTuning(
  config: FrirenConfig,
  overrides: Partial<PollerTuning> = {},
  env: NodeJS.ProcessEnv = process.env,
): PollerTuning {
  const refresh = config.snapshot.refreshMs;
  const settings = { ...pollerSettingsFromEnv(env), ...overrides };
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
    authProbeMs: settings.authProbeMs,
    // A cap below the first wait would make the first wait the cap; keep them ordered.
    authProbeMaxMs: Math.max(settings.authProbeMs, settings.authProbeMaxMs),
    credentialReloadMs: settings.credentialReloadMs,
  };
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
