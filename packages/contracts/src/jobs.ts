import { z } from 'zod';
import { accountAliasSchema } from './account.js';
import { JOB_NAMES, QUEUES } from './queues.js';

/**
 * One BullMQ job kind, defined once for its producers and its consumer: where it goes, what its
 * payload is, the options it is added with and, for a deduplicated job, its deduplication id.
 * Options are plain data in BullMQ's `JobsOptions` shape, so this package needs no BullMQ.
 */
export interface JobDefinition<T> {
  readonly queue: (typeof QUEUES)[keyof typeof QUEUES];
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly options: Readonly<Record<string, unknown>>;
  /** Jobs with the same id collapse while one waits (BullMQ `deduplication`); none when absent. */
  readonly deduplicationId?: (data: T) => string;
}

/** What `Queue.add` / `addBulk` takes for one job of `job` carrying `data`. */
export interface JobRequest<T> {
  readonly name: string;
  readonly data: T;
  readonly opts: Readonly<Record<string, unknown>>;
}

/** `recompute {account}`: fold the account's new trades into its figures (analytics). */
export const recomputeJobSchema = z.object({ account: accountAliasSchema });
export type RecomputeJobData = z.infer<typeof recomputeJobSchema>;

export const recomputeJob = {
  queue: QUEUES.analytics,
  name: JOB_NAMES.recompute,
  schema: recomputeJobSchema,
  options: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  // One id per account, whoever asks (a commit, the tick), so a burst asks for one recompute.
  deduplicationId: ({ account }) => `recompute-${account}`,
} as const satisfies JobDefinition<RecomputeJobData>;

/** `tick`: refresh every account of the analytics worker, trades or not (added by its scheduler). */
export const tickJobSchema = z.object({}).passthrough();
export type TickJobData = z.infer<typeof tickJobSchema>;

export const tickJob = {
  queue: QUEUES.analytics,
  name: JOB_NAMES.tick,
  schema: tickJobSchema,
  options: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
} as const satisfies JobDefinition<TickJobData>;

/** The scheduler that adds `tick` jobs; one per queue, shared by every analytics replica. */
export const TICK_SCHEDULER_ID = 'analytics-tick';

/**
 * The add request for one job. A deduplicated job keeps the last request while one is active
 * (`keepLastIfActive`): a recompute already running may have read the ledger before the newest
 * commit, so one more must follow it.
 */
export function jobRequest<T>(job: JobDefinition<T>, data: T): JobRequest<T> {
  const dedup = job.deduplicationId;
  return {
    name: job.name,
    data,
    opts:
      dedup === undefined
        ? job.options
        : { ...job.options, deduplication: { id: dedup(data), keepLastIfActive: true } },
  };
}
