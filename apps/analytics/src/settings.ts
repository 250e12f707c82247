import { appConfigLoader, DEFAULT_OPS_PORTS, type IntSetting, intSettingsFromEnv } from '@friren/config';
import { DEFAULT_METRICS_MAX_STRATEGIES } from './metrics.js';

/** The analytics worker's own knobs (not in docs/CONTRACT.md §1, which lists what every app shares). */
export interface AnalyticsSettings {
  /** Recomputes this process runs at once (always of different accounts). */
  readonly concurrency: number;
  /**
   * Trades are folded only once recorded this long ago by the database clock, so a row id that a
   * slower recorder transaction still holds is never stepped over (see README, "Late commits").
   */
  readonly settleMs: number;
  /**
   * How long the stored checkpoint of an account's state may lag the worker's memory. Figures and
   * cursor are committed every run; the state (≈1 MB per million trades) only this often, and at
   * shutdown. A crash costs refolding the trades since the checkpoint, never a double count.
   */
  readonly checkpointMs: number;
  /** How often each account's cursor is checked against the ledger for a late-committed row. */
  readonly verifyEveryMs: number;
  /** Period of the scheduler job that refreshes every account without trades (unrealized P&L, history). */
  readonly tickEveryMs: number;
  /** Strategies per account with Prometheus series of their own (largest |P&L|); the rest sum into one. */
  readonly metricsMaxStrategies: number;
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  concurrency: 4,
  settleMs: 2_000,
  checkpointMs: 30_000,
  verifyEveryMs: 600_000,
  tickEveryMs: 60_000,
  metricsMaxStrategies: DEFAULT_METRICS_MAX_STRATEGIES,
};

const ENV: Readonly<Record<keyof AnalyticsSettings, IntSetting>> = {
  concurrency: { variable: 'ANALYTICS_CONCURRENCY', min: 1, max: 256 },
  settleMs: { variable: 'ANALYTICS_SETTLE_MS', min: 0, max: 600_000 },
  checkpointMs: { variable: 'ANALYTICS_CHECKPOINT_MS', min: 0, max: 86_400_000 },
  verifyEveryMs: { variable: 'ANALYTICS_VERIFY_MS', min: 1_000, max: 86_400_000 },
  tickEveryMs: { variable: 'ANALYTICS_TICK_MS', min: 1_000, max: 86_400_000 },
  metricsMaxStrategies: { variable: 'ANALYTICS_METRICS_MAX_STRATEGIES', min: 0, max: 1_000 },
};

/** Reads ANALYTICS_* from the environment; throws one ConfigError naming every bad variable. */
export function analyticsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AnalyticsSettings {
  return intSettingsFromEnv(env, ENV, DEFAULT_ANALYTICS_SETTINGS);
}

/**
 * The worker's configuration from the environment: docs/CONTRACT.md §1 (without the poller's
 * timing relations, which analytics does not use) and ANALYTICS_*, every bad variable in one
 * ConfigError.
 */
export const load = appConfigLoader(
  { opsPort: DEFAULT_OPS_PORTS.analytics, pollerTiming: false },
  analyticsSettingsFromEnv,
);
