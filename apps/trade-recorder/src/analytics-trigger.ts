import { jobRequest, recomputeJob, redisKeys } from '@friren/contracts';
import { type Logger, throttledLog, withDeadline } from '@friren/observability';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * What a commit tells the rest of the cluster, once per touched account:
 * - a `recompute` job on the analytics queue, deduplicated per account so a burst of 10k trades
 *   asks for a handful of recomputes. `keepLastIfActive` matters: while a recompute is running
 *   (it may already have read the ledger), one more is kept to follow it, so no commit is missed;
 * - a refresh request on `P:account:A:refresh` (docs/CONTRACT.md §2) so the poller re-reads buying power
 *   soon after a fill; the poller coalesces these.
 * Both are best effort after the commit: the trades are durable either way, and the analytics
 * worker reads the ledger, not these messages.
 *
 * Under load the recorder commits hundreds of batches a second; telling Redis after each one cost
 * the recorder (and Redis) more than the commits' own queue traffic. So notifications are
 * coalesced: at most one send per `minIntervalMs`, carrying every account touched since the last
 * one, and a commit is always followed by a send within `minIntervalMs`.
 */
export interface AnalyticsTrigger {
  /**
   * Schedules a notification for these accounts; resolves once it was sent (or failed and was
   * logged). Never rejects; callers need not wait for it (close() sends what is pending).
   */
  notify(accounts: Iterable<string>): Promise<void>;
  close(): Promise<void>;
}

/** A trigger stuck on Redis must not hold the batch pipeline: give up and log. */
const NOTIFY_TIMEOUT_MS = 2_000;

/** Default spacing of notifications: well under what a recompute or a broker refresh takes. */
export const DEFAULT_TRIGGER_INTERVAL_MS = 50;

export function createAnalyticsTrigger(deps: {
  redis: Redis;
  prefix: string;
  logger: Logger;
  onFailure?: () => void;
  minIntervalMs?: number;
}): AnalyticsTrigger {
  const minIntervalMs = deps.minIntervalMs ?? DEFAULT_TRIGGER_INTERVAL_MS;
  const { redis, prefix, logger } = deps;
  const keys = redisKeys(prefix);
  const queue = new Queue(recomputeJob.queue, { connection: redis, prefix });
  queue.on('error', throttledLog(logger, 'warn', 'analytics queue error'));
  const triggerFailed = throttledLog(logger, 'warn', 'could not trigger analytics / refresh after commit');

  async function send(accounts: readonly string[]): Promise<void> {
    await queue.addBulk(accounts.map((account) => jobRequest(recomputeJob, { account })));
    const message = JSON.stringify({ reason: 'fill', at: Date.now() });
    const pipeline = redis.pipeline();
    for (const account of accounts) pipeline.publish(keys.refreshChannel(account), message);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  // Notifications still on their way, so close() can let them land before the queue closes.
  const inFlight = new Set<Promise<void>>();
  // Accounts waiting for the next send, and the promise that send will settle.
  let waiting = new Set<string>();
  let waitingDone: { promise: Promise<void>; resolve: () => void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastSentAt = Number.NEGATIVE_INFINITY;

  async function notifyNow(accounts: readonly string[]): Promise<void> {
    try {
      await withDeadline(send(accounts), NOTIFY_TIMEOUT_MS, 'analytics trigger');
    } catch (error) {
      deps.onFailure?.();
      triggerFailed(error, { accounts });
    }
  }

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    if (waiting.size === 0) return;
    const accounts = [...waiting];
    const done = waitingDone;
    waiting = new Set();
    waitingDone = undefined;
    lastSentAt = performance.now();
    const p = notifyNow(accounts).finally(() => {
      inFlight.delete(p);
      done?.resolve();
    });
    inFlight.add(p);
  }

  return {
    notify(accountsIn) {
      for (const account of accountsIn) waiting.add(account);
      if (waiting.size === 0) return Promise.resolve();
      waitingDone ??= withResolvers();
      const { promise } = waitingDone;
      if (timer === undefined) {
        const wait = lastSentAt + minIntervalMs - performance.now();
        if (wait <= 0) flush();
        else timer = setTimeout(flush, wait);
      }
      return promise;
    },
    async close() {
      flush();
      await Promise.allSettled([...inFlight]);
      await queue.close();
    },
  };
}

function withResolvers(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
