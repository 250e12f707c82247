import { type Kysely, type Selectable, sql } from 'kysely';
import { fromSqlDateTime } from './datetime.js';
import { insertIgnoreChecked } from './insert-ignore.js';
import { decimalId, positiveLimit } from './query-args.js';
import type { DB, RejectedTradesTable } from './schema.js';

export interface RejectedRow {
  /** The BullMQ job id: one row per job, however often it is delivered. */
  job_id: string;
  /** The payload exactly as received, serialized. */
  payload: string;
  /** Why it was rejected, naming the field. */
  reason: string;
}

export interface StoredRejected extends RejectedRow {
  id: string;
  /** Canonical ISO UTC. */
  received_at: string;
}

/** Keeps invalid jobs; a job id already stored is skipped. Returns how many rows were new. */
export function insertRejected(db: Kysely<DB>, rows: readonly RejectedRow[]): Promise<number> {
  return insertIgnoreChecked(db, rows, (trx, chunk) =>
    trx
      .insertInto('rejected_trades')
      .ignore()
      .values(chunk.map(({ job_id, payload, reason }) => ({ job_id, payload, reason: clampReason(reason) })))
      .executeTakeFirstOrThrow(),
  );
}

/** TEXT holds 64 KiB; a longer reason is cut rather than failing the row that explains a rejection. */
export const MAX_REASON_CHARS = 8000;

function clampReason(reason: string): string {
  return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}

/** Rejected jobs with `id` greater than `afterId` (default: from the start), oldest first. */
export async function listRejected(
  db: Kysely<DB>,
  opts: { afterId?: string; limit: number },
): Promise<StoredRejected[]> {
  const rows = await db
    .selectFrom('rejected_trades')
    .selectAll()
    .where('id', '>', sql<string>`CAST(${decimalId(opts.afterId ?? '0')} AS UNSIGNED)`)
    .orderBy('id', 'asc')
    .limit(positiveLimit(opts.limit))
    .execute();
  return rows.map(fromRow);
}

function fromRow(row: Selectable<RejectedTradesTable>): StoredRejected {
  return {
    id: String(row.id),
    job_id: row.job_id,
    payload: row.payload,
    reason: row.reason,
    received_at: fromSqlDateTime(row.received_at),
  };
}
