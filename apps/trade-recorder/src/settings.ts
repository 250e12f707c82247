import { z } from 'zod';

/**
 * The recorder's own knobs (not in CONTRACT §1, which lists what every app shares). Defaults are
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
}

export const DEFAULT_RECORDER_SETTINGS: RecorderSettings = {
  concurrency: 1024,
  workers: 1,
  batchSize: 500,
  batchMs: 5,
  batchesInFlight: 2,
  lockMs: 30_000,
};

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}` });

const envSchema = z.object({
  RECORDER_CONCURRENCY: int(1, 10_000).optional(),
  RECORDER_WORKERS: int(1, 32).optional(),
  RECORDER_BATCH_SIZE: int(1, 10_000).optional(),
  RECORDER_BATCH_MS: int(0, 60_000).optional(),
  RECORDER_BATCHES_IN_FLIGHT: int(1, 64).optional(),
  RECORDER_LOCK_MS: int(1_000, 600_000).optional(),
});

/** Reads RECORDER_* from the environment; throws one error naming every bad variable. */
export function recorderSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RecorderSettings {
  const r = envSchema.safeParse({
    RECORDER_CONCURRENCY: env['RECORDER_CONCURRENCY'],
    RECORDER_WORKERS: env['RECORDER_WORKERS'],
    RECORDER_BATCH_SIZE: env['RECORDER_BATCH_SIZE'],
    RECORDER_BATCH_MS: env['RECORDER_BATCH_MS'],
    RECORDER_BATCHES_IN_FLIGHT: env['RECORDER_BATCHES_IN_FLIGHT'],
    RECORDER_LOCK_MS: env['RECORDER_LOCK_MS'],
  });
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid recorder settings: ${detail}`);
  }
  const d = DEFAULT_RECORDER_SETTINGS;
  return {
    concurrency: r.data.RECORDER_CONCURRENCY ?? d.concurrency,
    workers: r.data.RECORDER_WORKERS ?? d.workers,
    batchSize: r.data.RECORDER_BATCH_SIZE ?? d.batchSize,
    batchMs: r.data.RECORDER_BATCH_MS ?? d.batchMs,
    batchesInFlight: r.data.RECORDER_BATCHES_IN_FLIGHT ?? d.batchesInFlight,
    lockMs: r.data.RECORDER_LOCK_MS ?? d.lockMs,
  };
}
