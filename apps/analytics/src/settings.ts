import { z } from 'zod';

/** The analytics worker's own knobs (not in CONTRACT §1, which lists what every app shares). */
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
}

export const DEFAULT_ANALYTICS_SETTINGS: AnalyticsSettings = {
  concurrency: 4,
  settleMs: 2_000,
  checkpointMs: 30_000,
  verifyEveryMs: 600_000,
  tickEveryMs: 60_000,
};

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `must be between ${min} and ${max}` });

const envSchema = z.object({
  ANALYTICS_CONCURRENCY: int(1, 256).optional(),
  ANALYTICS_SETTLE_MS: int(0, 600_000).optional(),
  ANALYTICS_CHECKPOINT_MS: int(0, 86_400_000).optional(),
  ANALYTICS_VERIFY_MS: int(1_000, 86_400_000).optional(),
  ANALYTICS_TICK_MS: int(1_000, 86_400_000).optional(),
});

/** Reads ANALYTICS_* from the environment; throws one error naming every bad variable. */
export function analyticsSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AnalyticsSettings {
  const r = envSchema.safeParse({
    ANALYTICS_CONCURRENCY: env['ANALYTICS_CONCURRENCY'],
    ANALYTICS_SETTLE_MS: env['ANALYTICS_SETTLE_MS'],
    ANALYTICS_CHECKPOINT_MS: env['ANALYTICS_CHECKPOINT_MS'],
    ANALYTICS_VERIFY_MS: env['ANALYTICS_VERIFY_MS'],
    ANALYTICS_TICK_MS: env['ANALYTICS_TICK_MS'],
  });
  if (!r.success) {
    const detail = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid analytics settings: ${detail}`);
  }
  const d = DEFAULT_ANALYTICS_SETTINGS;
  return {
    concurrency: r.data.ANALYTICS_CONCURRENCY ?? d.concurrency,
    settleMs: r.data.ANALYTICS_SETTLE_MS ?? d.settleMs,
    checkpointMs: r.data.ANALYTICS_CHECKPOINT_MS ?? d.checkpointMs,
    verifyEveryMs: r.data.ANALYTICS_VERIFY_MS ?? d.verifyEveryMs,
    tickEveryMs: r.data.ANALYTICS_TICK_MS ?? d.tickEveryMs,
  };
}
