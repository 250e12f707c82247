import type { SubmitResult } from '@friren/client';
import type { FieldIssue, TradeJob } from '@friren/contracts';
import { parseTradeJob } from '@friren/contracts';

/** docs/CONTRACT.md §5 `POST /v1/trades`: the most trades one request may carry. */
export const MAX_TRADES_PER_REQUEST = 1000;

export type SubmissionStatus = 'queued' | 'duplicate' | 'conflict' | 'rejected' | 'invalid';

/** One trade's answer, in request order. */
export interface SubmissionResult {
  readonly index: number;
  readonly account: string | null;
  readonly trade_id: string | null;
  readonly status: SubmissionStatus;
  /** The job that holds it (queued, duplicate, rejected) or its own conflict job. */
  readonly job_id?: string;
  /** Differing fields (conflict) or offending fields (invalid). */
  readonly fields?: readonly string[];
  readonly reason?: string;
}

export interface SubmissionAnswer {
  readonly results: readonly SubmissionResult[];
  readonly counts: Readonly<Record<SubmissionStatus, number>>;
}

/** What a request's body must be before any trade in it is looked at. */
export type SubmissionBody =
  | { readonly ok: true; readonly items: readonly unknown[] }
  | { readonly ok: false; readonly reason: string };

/** A trade object, or an array of 1..MAX_TRADES_PER_REQUEST of them (each checked on its own later). */
export function readSubmissionBody(body: unknown): SubmissionBody {
  if (Array.isArray(body)) {
    if (body.length === 0) return { ok: false, reason: 'the array of trades is empty' };
    if (body.length > MAX_TRADES_PER_REQUEST)
      return {
        ok: false,
        reason: `at most ${MAX_TRADES_PER_REQUEST} trades per request (got ${body.length})`,
      };
    return { ok: true, items: body };
  }
  if (typeof body === 'object' && body !== null) return { ok: true, items: [body] };
  return { ok: false, reason: 'the body must be a trade object or an array of trades' };
}

/** The submitting side: `@friren/client`'s `submitMany` in the service, a fake-free stand-in in none. */
export type SubmitMany = (trades: readonly TradeJob[]) => Promise<SubmitResult[]>;

/**
 * Validates every item by the queue's rules, queues the valid ones in one `submitMany`, and answers
 * per item. Throws what `submitMany` throws (Redis unreachable, timeout): the caller answers 503 and
 * the engine retries, which is safe since (account, trade_id) is the idempotency key.
 */
export async function submitTrades(
  items: readonly unknown[],
  accounts: readonly string[],
  submitMany: SubmitMany,
): Promise<SubmissionAnswer> {
  const results: SubmissionResult[] = new Array(items.length);
  const valid: TradeJob[] = [];
  const validIndex: number[] = [];
  items.forEach((raw, index) => {
    const parsed = parseTradeJob(raw, { accounts });
    if (parsed.ok) {
      valid.push(parsed.value);
      validIndex.push(index);
    } else {
      results[index] = invalid(index, raw, parsed.issues, parsed.reason);
    }
  });
  const submitted = valid.length === 0 ? [] : await submitMany(valid);
  submitted.forEach((r, k) => {
    const index = validIndex[k] as number;
    results[index] = answerOf(index, r);
  });
  const counts = { queued: 0, duplicate: 0, conflict: 0, rejected: 0, invalid: 0 };
  for (const r of results) counts[r.status] += 1;
  return { results, counts };
}

/** 202 when every trade is queued or already held; 400 when none is; 207 for a mix. */
export function submissionStatusCode(counts: SubmissionAnswer['counts']): 202 | 207 | 400 {
  const accepted = counts.queued + counts.duplicate;
  const total = accepted + counts.conflict + counts.rejected + counts.invalid;
  if (accepted === total) return 202;
  return accepted === 0 ? 400 : 207;
}

function answerOf(index: number, r: SubmitResult): SubmissionResult {
  const base = { index, account: r.trade.account, trade_id: r.trade.trade_id, job_id: r.jobId };
  switch (r.status) {
    case 'queued':
    case 'duplicate':
      return { ...base, status: r.status };
    case 'rejected':
      return { ...base, status: 'rejected', reason: `refused by the recorder: ${r.failedReason}` };
    case 'conflict':
      return {
        ...base,
        status: 'conflict',
        fields: r.differences.map((d) => d.field),
        reason: `a different trade holds (account, trade_id) in job ${r.queuedJobId}: ${r.differences
          .map((d) => `${d.field} held ${d.queued}, sent ${d.submitted}`)
          .join('; ')}`,
      };
  }
}

function invalid(
  index: number,
  raw: unknown,
  issues: readonly FieldIssue[],
  reason: string,
): SubmissionResult {
  const text = (key: string): string | null => {
    if (typeof raw !== 'object' || raw === null) return null;
    const v = (raw as Record<string, unknown>)[key];
    // Echoed back to the caller only when it is a short plain string.
    return typeof v === 'string' && v.length <= 64 ? v : null;
  };
  return {
    index,
    account: text('account'),
    trade_id: text('trade_id'),
    status: 'invalid',
    fields: [...new Set(issues.map((i) => i.field))],
    reason,
  };
}
