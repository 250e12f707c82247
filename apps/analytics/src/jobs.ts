import { jobRequest, recomputeJob } from '@friren/contracts';
import type { Queue } from 'bullmq';

// The jobs themselves are defined once, in @friren/contracts, for the recorder (producer) and
// this worker (consumer) alike.
export {
  type RecomputeJobData,
  recomputeJobSchema,
  TICK_SCHEDULER_ID,
  tickJob,
} from '@friren/contracts';

/** Queues one deduplicated recompute per account. */
export async function enqueueRecompute(queue: Queue, accounts: readonly string[]): Promise<void> {
  if (accounts.length === 0) return;
  await queue.addBulk(accounts.map((account) => jobRequest(recomputeJob, { account })));
}
