import { type FieldIssue, formatIssues, JOB_NAMES, parseTradeJob } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { BatchWriter } from '../batch-writer.js';
import type { LedgerItem, LedgerResult } from '../ledger-writer.js';
import type { RecorderMetrics } from '../metrics.js';
import {
  CONFLICT_LABEL,
  DATABASE_FIELD,
  JOB_NAME_FIELD,
  reasonLabel,
  serializePayload,
} from '../rejection.js';

export interface TradeProcessorDeps {
  readonly writer: BatchWriter<LedgerItem, LedgerResult>;
  /** FRIREN_ACCOUNTS: a trade for any other account is rejected. */
  readonly accounts: ReadonlySet<string>;
  readonly metrics: RecorderMetrics;
  /** Conflicting trades are logged here (one line each: they mean a producer bug). */
  readonly logger?: Logger;
  /** RECORDER_MAX_FUTURE_SKEW_MS: how far ahead of this clock an execution time may be. */
  readonly maxFutureSkewMs?: number;
}

/**
 * One `trades` job: validate (docs/CONTRACT.md §3), join the group commit, and return only once the batch
 * committed — so a completed job is a durable trade. An invalid job, or a trade conflicting with the
 * one the ledger holds under its (account, trade_id), is stored raw in `rejected_trades` (through
 * the same batches) and fails with UnrecoverableError: never retried, never lost. A database error
 * rethrows, and BullMQ retries the job with its backoff.
 */
export function createTradeProcessor(deps: TradeProcessorDeps) {
  const { writer, metrics, logger } = deps;
  const parseOptions = {
    accounts: deps.accounts,
    ...(deps.maxFutureSkewMs === undefined ? {} : { maxFutureSkewMs: deps.maxFutureSkewMs }),
  };

  async function reject(
    job: Job,
    issues: readonly FieldIssue[],
    token: string | undefined,
    label = reasonLabel(issues),
    onStored?: () => void,
  ): Promise<never> {
    const { payload, truncatedFrom } = serializePayload(job.data);
    let reason = formatIssues(issues);
    if (truncatedFrom !== undefined)
      reason += `; (stored payload truncated from ${truncatedFrom} characters)`;
    try {
      await writer.add({ kind: 'reject', row: { job_id: String(job.id), payload, reason } });
    } catch (error) {
      // Not stored yet, so not allowed to fail for good: retry like any database error.
      return retryLater(job, token, error);
    }
    metrics.rejected.inc({ reason: label });
    onStored?.();
    throw new UnrecoverableError(`trade rejected: ${reason}`);
  }

  return async function processTrade(job: Job, token?: string): Promise<void> {
    if (job.name !== JOB_NAMES.trade) {
      const got = JSON.stringify(job.name.slice(0, 64));
      return reject(
        job,
        [{ field: JOB_NAME_FIELD, message: `must be "${JOB_NAMES.trade}" (got ${got})` }],
        token,
      );
    }
    const parsed = parseTradeJob(job.data, parseOptions);
    if (!parsed.ok) return reject(job, parsed.issues, token);

    let result: LedgerResult;
    try {
      result = await writer.add({ kind: 'trade', trade: parsed.value, queuedAt: job.timestamp });
    } catch (error) {
      return retryLater(job, token, error);
    }
    if (result.status === 'refused')
      return reject(job, [{ field: DATABASE_FIELD, message: result.reason }], token);
    if (result.status === 'conflict') {
      const { account } = parsed.value;
      logger?.warn({ jobId: job.id, account, reason: result.reason }, 'conflicting trade rejected');
      return reject(job, [{ field: 'trade_id', message: result.reason }], token, CONFLICT_LABEL, () =>
        metrics.conflicting.inc({ account }),
      );
    }
  };
}

/** Cap of the recorder's own backoff while the database is out (see retryLater). */
const MAX_OUTAGE_DELAY_MS = 60_000;

/**
 * A failed commit is the database's fault, not the trade's. While the job has attempts left,
 * BullMQ retries it with the producer's backoff (exponential with jitter from @friren/client). On
 * its last attempt — or for a producer that set no attempts at all (a bare Python client) — it is
 * put back as delayed instead of failed, with exponential backoff capped at a minute, less up to
 * half of it at random (jitter), so an outage of any length costs time, never a trade.
 */
async function retryLater(job: Job, token: string | undefined, error: unknown): Promise<never> {
  const attempts = job.opts.attempts ?? 1;
  if (job.attemptsMade + 1 < attempts || token === undefined) throw error;
  const base = Math.min(MAX_OUTAGE_DELAY_MS, 1000 * 2 ** Math.min(16, Math.max(0, job.attemptsStarted - 1)));
  const delay = Math.round(base * (0.5 + Math.random() * 0.5));
  await job.moveToDelayed(Date.now() + delay, token);
  throw new DelayedError(`database unavailable, retrying in ${delay} ms`);
}
