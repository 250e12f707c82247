import { appConfigLoader, DEFAULT_OPS_PORTS, type IntSetting, intSettingsFromEnv } from '@friren/config';

/**
 * The recorder's own knobs (not in docs/CONTRACT.md §1, which lists what every app shares). Defaults are
 * the benchmarked ones, see the README.
 */
export interface RecorderSettings {
  /** Jobs one Worker processes at once; high, because each waits for its batch to commit. */
  readonly concurrency: number;
  /** BullMQ Worker instances in this process (each with its own Redis connections). */
  readonly workers: number;
  /** Rows per group commit: a batch flushes when it holds this many. */
  readonly batchSize: number;
  /** ...or when its oldest row has waited this long. */
  readonly batchMs: number;
  /** Batches being written at once (each on its own pooled connection). */
  readonly batchesInFlight: number;
  /**
   * BullMQ job lock (and stalled-check interval): a crashed recorder's in-flight jobs are
   * redelivered within about twice this.
   */
  readonly lockMs: number;
  /** How far ahead of this recorder's clock a trade's execution time may be before it is rejected. */
  readonly maxFutureSkewMs: number;
}

export const DEFAULT_RECORDER_SETTINGS: RecorderSettings = {
  concurrency: 1024,
  workers: 1,
  batchSize: 500,
  batchMs: 2,
  batchesInFlight: 2,
  lockMs: 30_000,
  maxFutureSkewMs: 300_000,
};

const ENV: Readonly<Record<keyof RecorderSettings, IntSetting>> = {
  concurrency: { variable: 'RECORDER_CONCURRENCY', min: 1, max: 10_000 },
  workers: { variable: 'RECORDER_WORKERS', min: 1, max: 32 },
  batchSize: { variable: 'RECORDER_BATCH_SIZE', min: 1, max: 10_000 },
  batchMs: { variable: 'RECORDER_BATCH_MS', min: 0, max: 60_000 },
  batchesInFlight: { variable: 'RECORDER_BATCHES_IN_FLIGHT', min: 1, max: 64 },
  lockMs: { variable: 'RECORDER_LOCK_MS', min: 1_000, max: 600_000 },
  maxFutureSkewMs: { variable: 'RECORDER_MAX_FUTURE_SKEW_MS', min: 0, max: 86_400_000 },
};

/** Reads RECORDER_* from the environment; throws one ConfigError naming every bad variable. */
export function recorderSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RecorderSettings {
  return intSettingsFromEnv(env, ENV, DEFAULT_RECORDER_SETTINGS);
}

/**
 * The recorder's configuration from the environment: docs/CONTRACT.md §1 (without the poller's
 * timing relations, which the recorder does not use) and RECORDER_*, every bad variable in one
 * ConfigError.
 */
export const load = appConfigLoader(
  { opsPort: DEFAULT_OPS_PORTS['trade-recorder'], pollerTiming: false },
  recorderSettingsFromEnv,
);
