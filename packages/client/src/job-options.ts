import type { JobsOptions } from 'bullmq';

/**
 * Options every trade job carries. Retries exist for the recorder's transient failures (database
 * down); an invalid trade fails unrecoverably and is never retried. 12 attempts with exponential
 * backoff from 500 ms (±50 % jitter, so a fleet of retries does not hit a recovering database in
 * step) cover about 17 minutes of outage; the recorder itself keeps a job that reaches its last
 * attempt during an outage delayed rather than failed.
 *
 * Retention: completed jobs are kept a day (at most 100k) so a resubmission within that window is
 * settled against the held job before it reaches the database (see SubmitResult), and operators
 * can inspect recent jobs; failed jobs (invalid payloads, also kept in `rejected_trades`) are kept a week.
 */
export const TRADE_JOB_OPTIONS = {
  attempts: 12,
  backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

export type TradeJobOptions = Pick<JobsOptions, 'attempts' | 'backoff' | 'removeOnComplete' | 'removeOnFail'>;
