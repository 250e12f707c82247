import { type Kysely, type Selectable, sql } from 'kysely';
import { fromSqlDateTime } from './datetime.js';
import { insertChecked, isDataError } from './insert-ignore.js';
import { decimalId, positiveLimit } from './query-args.js';
import type { DB, RejectedTradesTable } from './schema.js';

export interface RejectedRow {
  /** The BullMQ job id (not unique: every rejection is kept, a repeated job id included). */
  job_id: string;
  /** The payload exactly as received, serialized. */
  payload: string;
  /** Why it was rejected, naming the field. */
  reason: string;
}

export interface StoredRejected extends RejectedRow {
  id: string;
  /** `job_id` was cut to {@link MAX_JOB_ID_CHARS} characters to fit its column. */
  job_id_truncated: boolean;
  /** Canonical ISO UTC. */
  received_at: string;
}

/** The width of `rejected_trades.job_id` (characters); BullMQ sets no limit on job ids. */
export const MAX_JOB_ID_CHARS = 255;

/** TEXT holds 64 KiB; a longer reason is cut rather than failing the row that explains a rejection. */
export const MAX_REASON_CHARS = 8000;

/**
 * Keeps rejections, every one (a rejection is an event; a job id seen before is no reason to drop
 * one). Returns how many rows were written: always `rows.length`, unless the database itself fails.
 *
 * A job id too long for its column is cut and flagged. A row the database still refuses (a value it
 * cannot store as it is) must not fail the rows around it, so the chunk is then written row by row
 * and such a row is stored in a form that always fits: the payload and job id as JSON-escaped ASCII,
 * the reason saying so. A failure of the database (not of a value) fails the call.
 */
export async function insertRejected(db: Kysely<DB>, rows: readonly RejectedRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const prepared = rows.map(prepare);
  try {
    return await write(db, prepared);
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  let written = 0;
  for (const row of prepared) {
    try {
      written += await write(db, [row]);
    } catch (error) {
      if (!isDataError(error)) throw error;
      written += await write(db, [asciiFallback(row, error)]);
    }
  }
  return written;
}

interface PreparedRow {
  job_id: string;
  job_id_truncated: boolean;
  payload: string;
  reason: string;
}

function write(db: Kysely<DB>, rows: readonly PreparedRow[]): Promise<number> {
  return insertChecked(db, rows, (trx, chunk) =>
    trx
      .insertInto('rejected_trades')
      .values([...chunk])
      .executeTakeFirstOrThrow(),
  );
}

function prepare(row: RejectedRow): PreparedRow {
  const jobId = cutChars(row.job_id, MAX_JOB_ID_CHARS);
  const truncated = jobId !== row.job_id;
  const reason = truncated
    ? `${row.reason} (job id cut from ${[...row.job_id].length} characters)`
    : row.reason;
  return { job_id: jobId, job_id_truncated: truncated, payload: row.payload, reason: clampReason(reason) };
}

function asciiFallback(row: PreparedRow, error: unknown): PreparedRow {
  const ascii = (s: string) =>
    JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const jobId = cutChars(ascii(row.job_id), MAX_JOB_ID_CHARS);
  const why = error instanceof Error ? error.message : String(error);
  return {
    job_id: jobId,
    job_id_truncated: true,
    payload: ascii(row.payload),
    reason: clampReason(
      `${row.reason} (stored JSON-escaped: the database refused the row as received: ${why})`,
    ),
  };
}

function cutChars(s: string, max: number): string {
  if (s.length <= max) return s;
  const points = [...s];
  return points.length <= max ? s : points.slice(0, max).join('');
}

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
    job_id_truncated: Number(row.job_id_truncated) !== 0,
    payload: row.payload,
    reason: row.reason,
    received_at: fromSqlDateTime(row.received_at),
  };
}
