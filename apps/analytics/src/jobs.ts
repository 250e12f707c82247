import { JOB_NAMES } from '@friren/contracts';
import type { JobsOptions, Queue } from 'bullmq';
import { z } from 'zod';

/** The scheduler that refreshes every account each minute, even without trades. */
export const TICK_SCHEDULER_ID = 'analytics-tick';
export const TICK_JOB_NAME = 'tick';

/**
 * The deduplication id of an account's recompute job — the same as the trade recorder's, so a
 * tick and a commit ask for one recompute, and `keepLastIfActive` keeps at most one waiting behind
 * a running one (never two running).
 */
export function recomputeDeduplicationId(account: string): string {
  return `recompute-${account}`;
}

const RECOMPUTE_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const satisfies JobsOptions;

export const TICK_JOB_OPTIONS = {
  removeOnComplete: { count: 100 },
  removeOnFail: { count: 100 },
} as const satisfies JobsOptions;

/** `recompute` job data (from the recorder, the tick, or anyone): an account alias. */
export const recomputeJobSchema = z.object({ account: z.string().regex(/^[a-z0-9_-]{1,32}$/) });

export type RecomputeJobData = z.infer<typeof recomputeJobSchema>;

/** Queues one deduplicated recompute per account. */
export async function enqueueRecompute(queue: Queue, accounts: readonly string[]): Promise<void> {
  if (accounts.length === 0) return;
  await queue.addBulk(
    accounts.map((account) => ({
      name: JOB_NAMES.recompute,
      data: { account } satisfies RecomputeJobData,
      opts: {
        ...RECOMPUTE_JOB_OPTIONS,
        deduplication: { id: recomputeDeduplicationId(account), keepLastIfActive: true },
      },
    })),
  );
}
