import { createHash } from 'node:crypto';
import { parseTradeJob, type TradeJob } from '@friren/contracts';

/** A field on which the submitted trade differs from the one a job already holds under its key. */
export interface TradeFieldDifference {
  readonly field: string;
  /** JSON of the value the queued job holds (`undefined` when absent). */
  readonly queued: string;
  readonly submitted: string;
}

/**
 * What `submit` did with a trade. Never `queued` for a trade it did not queue:
 * - `queued`: a new job holds this trade.
 * - `duplicate`: a job already holds this very trade under its (account, trade_id) (waiting, being
 *   recorded, or recorded within the retention window): nothing added; safe, a resubmission.
 * - `rejected`: a job holding this very trade failed: the recorder refused it (see `failedReason`
 *   and `friren replay-rejected`); nothing added.
 * - `conflict`: a job holds a different trade under this (account, trade_id). This trade was queued
 *   as its own job (`jobId`) so the recorder keeps it: of the two, the one it commits first is the
 *   trade and the other is stored in `rejected_trades` (`friren_trades_conflicting_total`). A fix
 *   needs a new trade_id, or an operator.
 */
export type SubmitResult =
  | { readonly status: 'queued'; readonly jobId: string; readonly trade: TradeJob }
  | { readonly status: 'duplicate'; readonly jobId: string; readonly trade: TradeJob }
  | {
      readonly status: 'rejected';
      readonly jobId: string;
      readonly trade: TradeJob;
      /** Why the recorder refused the job that holds this very trade (it is in `rejected_trades`). */
      readonly failedReason: string;
    }
  | {
      readonly status: 'conflict';
      /** The job this trade was queued as. */
      readonly jobId: string;
      readonly trade: TradeJob;
      /** The job holding the other trade. */
      readonly queuedJobId: string;
      readonly differences: readonly TradeFieldDifference[];
    };

/** Never a future-skew refusal for what a job already holds: that was checked when it was queued. */
const NO_CLOCK = { maxFutureSkewMs: Number.POSITIVE_INFINITY };

/**
 * The fields on which a queued job's data (JSON text as BullMQ stores it) differs from `trade`,
 * both in canonical form (a bare producer may have queued `10.0` where we send `10`). Data that is
 * not a valid trade differs as a whole (`(payload)`).
 */
export function queuedDifferences(queuedJson: string, trade: TradeJob): TradeFieldDifference[] {
  let raw: unknown;
  try {
    raw = JSON.parse(queuedJson);
  } catch {
    return [{ field: '(payload)', queued: JSON.stringify(queuedJson.slice(0, 80)), submitted: '(a trade)' }];
  }
  const parsed = parseTradeJob(raw, NO_CLOCK);
  if (!parsed.ok)
    return [{ field: '(payload)', queued: `(not a valid trade: ${parsed.reason})`, submitted: '(a trade)' }];
  const queued = parsed.value as Record<string, unknown>;
  const submitted = trade as Record<string, unknown>;
  const out: TradeFieldDifference[] = [];
  for (const field of new Set([...Object.keys(queued), ...Object.keys(submitted)])) {
    const a = canonicalJson(queued[field]);
    const b = canonicalJson(submitted[field]);
    if (a !== b) out.push({ field, queued: a ?? 'undefined', submitted: b ?? 'undefined' });
  }
  return out;
}

/** 16 hex digits naming a trade's content (canonical JSON), for its conflict job id. */
export function tradeDigest(trade: TradeJob): string {
  return createHash('sha256')
    .update(canonicalJson(trade) ?? '')
    .digest('hex')
    .slice(0, 16);
}

function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}
