import type { Queue } from 'bullmq';
import { enqueueRecompute } from '../jobs.js';

/**
 * `tick` (the minute scheduler): one recompute per configured account, so unrealized P&L and the
 * broker's history reach the figures without a trade. Replicas should serve the same accounts: the
 * tick runs on whichever replica takes it.
 */
export function createTickProcessor(queue: Queue, accounts: readonly string[]) {
  return async function processTick(): Promise<{ queued: number }> {
    await enqueueRecompute(queue, accounts);
    return { queued: accounts.length };
  };
}
