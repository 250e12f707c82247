import { type Job, UnrecoverableError } from 'bullmq';
import type { AccountRunner } from '../account-runner.js';
import { recomputeJobSchema } from '../jobs.js';

export interface RecomputeJobResult {
  readonly folded: number;
  readonly cursor: string;
  readonly revision: number;
  readonly rebuilt: string | null;
}

/** `recompute {account}`: fold the account's new trades and publish its figures. */
export function createRecomputeProcessor(runner: AccountRunner) {
  return async function processRecompute(job: Job): Promise<RecomputeJobResult> {
    const parsed = recomputeJobSchema.safeParse(job.data);
    if (!parsed.success) {
      // Bad data never becomes good: fail for good, keep the job for inspection.
      throw new UnrecoverableError(
        `invalid recompute job data: ${parsed.error.issues[0]?.message ?? 'unknown'}`,
      );
    }
    const result = await runner.run(parsed.data.account);
    return {
      folded: result.folded,
      cursor: result.lastTradeId,
      revision: result.revision,
      rebuilt: result.rebuilt,
    };
  };
}
