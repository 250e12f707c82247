import { type InsertResult, type Kysely, type QueryResult, sql, type Transaction } from 'kysely';
import type { DB } from './schema.js';

/** Rows per INSERT statement: keeps one statement well under MySQL's default max_allowed_packet. */
export const MAX_ROWS_PER_STATEMENT = 1000;

/** ER_DUP_ENTRY: the one warning INSERT IGNORE is used for. */
const DUPLICATE_ENTRY = 1062;

/**
 * Runs a multi-row INSERT IGNORE and returns how many rows were new.
 *
 * IGNORE skips duplicate keys, which is the point, but it also downgrades every strict-mode error
 * (a too-long string, an out-of-range decimal, a bad date) to a warning and stores a mangled value.
 * In a ledger that is silent corruption, so the insert runs in a transaction and its warnings are
 * counted: exactly one per skipped duplicate is expected; anything more rolls it back and throws.
 * Rows beyond {@link MAX_ROWS_PER_STATEMENT} go in further statements of the same transaction.
 */
export async function insertIgnoreChecked<R>(
  db: Kysely<DB>,
  rows: readonly R[],
  insertChunk: (trx: Transaction<DB>, chunk: readonly R[]) => Promise<InsertResult | QueryResult<unknown>>,
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute((trx) => insertIgnoreIn(trx, rows, insertChunk));
}

/** insertIgnoreChecked inside a transaction the caller holds. */
export async function insertIgnoreIn<R>(
  trx: Transaction<DB>,
  rows: readonly R[],
  insertChunk: (trx: Transaction<DB>, chunk: readonly R[]) => Promise<InsertResult | QueryResult<unknown>>,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
    const result = await insertChunk(trx, chunk);
    const added = Number(
      ('numInsertedOrUpdatedRows' in result ? result.numInsertedOrUpdatedRows : result.numAffectedRows) ?? 0n,
    );
    await assertOnlyDuplicates(trx, chunk.length - added);
    inserted += added;
  }
  return inserted;
}

async function assertOnlyDuplicates(trx: Transaction<DB>, duplicates: number): Promise<void> {
  // Reading @@warning_count (no table, no message) leaves the previous statement's warnings intact.
  const { rows } = await sql<{ n: string | number }>`SELECT @@warning_count AS n`.execute(trx);
  if (Number(rows[0]?.n ?? 0) <= duplicates) return;
  const warnings = await sql<{ Code: number; Message: string }>`SHOW WARNINGS`.execute(trx);
  const others = warnings.rows.filter((w) => Number(w.Code) !== DUPLICATE_ENTRY).map((w) => w.Message);
  throw new InsertRejectedError(others.length > 0 ? others : ['unexpected warnings']);
}

/**
 * Runs a plain multi-row INSERT in a transaction, and treats any warning as an error (on a server
 * not in strict mode a too-long value is cut with a warning, not refused). Returns the rows added.
 */
export async function insertChecked<R>(
  db: Kysely<DB>,
  rows: readonly R[],
  insertChunk: (trx: Transaction<DB>, chunk: readonly R[]) => Promise<InsertResult | QueryResult<unknown>>,
): Promise<number> {
  if (rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    let inserted = 0;
    for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
      const result = await insertChunk(trx, chunk);
      await assertOnlyDuplicates(trx, 0);
      inserted += Number(
        ('numInsertedOrUpdatedRows' in result ? result.numInsertedOrUpdatedRows : result.numAffectedRows) ??
          0n,
      );
    }
    return inserted;
  });
}

/**
 * Server errors that are about a value, not the server: the row cannot be stored as it is (too
 * long, bad string, out of range), and retrying will not help.
 */
const DATA_ERRORS = new Set([1048, 1264, 1265, 1292, 1366, 1406]);

export function isDataError(error: unknown): boolean {
  if (error instanceof InsertRejectedError) return true;
  const errno = (error as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' && DATA_ERRORS.has(errno);
}

/** The database would have altered a value to store it; nothing was written. */
export class InsertRejectedError extends Error {
  override readonly name = 'InsertRejectedError';
  constructor(readonly warnings: readonly string[]) {
    super(`insert rolled back, the database would have altered values: ${warnings.slice(0, 3).join('; ')}`);
  }
}
