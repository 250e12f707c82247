import type { FieldIssue } from '@friren/contracts';
import { tradeJobSchema } from '@friren/contracts';

/**
 * How an invalid job is kept: its payload as received, the reason naming each field, and a
 * bounded metric label.
 */

/** Above this, only the head of the payload is stored (a row must fit one MySQL packet). */
export const MAX_STORED_PAYLOAD_CHARS = 4 * 1024 * 1024;

/** Issue field for a job whose name is not `trade`. */
export const JOB_NAME_FIELD = '(job name)';
/** Issue field for a trade the database would have stored altered. */
export const DATABASE_FIELD = 'database';
/** Reason label of a trade conflicting with the one the ledger holds under its (account, trade_id). */
export const CONFLICT_LABEL = 'conflict';

const KNOWN_FIELDS = new Set(Object.keys(tradeJobSchema.shape));

/**
 * The job data as JSON text. BullMQ hands over what `JSON.parse` made of the stored job, so this
 * reproduces the received payload; should serializing fail anyway, a description is stored instead
 * of losing the row.
 */
export function serializePayload(data: unknown): { payload: string; truncatedFrom?: number } {
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch (error) {
    text = `unserializable payload: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (text.length <= MAX_STORED_PAYLOAD_CHARS) return { payload: text };
  return { payload: text.slice(0, MAX_STORED_PAYLOAD_CHARS), truncatedFrom: text.length };
}

/**
 * The `reason` label of `friren_trades_rejected_total`: the first offending top-level field of the
 * schema, `unknown_field`, `payload`, `job_name` or `database` — never a producer-chosen string,
 * so the label set stays small. (A conflicting trade is labelled CONFLICT_LABEL by its caller.)
 */
export function reasonLabel(issues: readonly FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'payload';
  if (first.message === 'unknown field') return 'unknown_field';
  if (first.field === JOB_NAME_FIELD) return 'job_name';
  if (first.field === DATABASE_FIELD) return 'database';
  const top = first.field.split('.')[0] ?? '';
  return KNOWN_FIELDS.has(top) ? top : 'payload';
}
