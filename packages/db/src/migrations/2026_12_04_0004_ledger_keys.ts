import { type Kysely, sql } from 'kysely';

/**
 * - `trades`: a trade id is unique within its account, not across all of them (two accounts may
 *   well both have a `fill-1`). The new key is added in the same statement that drops the old, so
 *   the table is never without one. `(account, id)`: the analytics read "this account's trades after
 *   id N" walks it in id order without visiting other accounts' rows.
 * - `rejected_trades`: a rejection is an event, so a job id may appear any number of times (a job
 *   redelivered, or ids reused after Redis lost its counter); it stays indexed for look-ups.
 *   `job_id_truncated` marks a job id cut to fit the column.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE trades
    ADD UNIQUE KEY trades_account_trade_id_unique (account, trade_id),
    DROP INDEX trades_trade_id_unique,
    ADD KEY trades_account_id_idx (account, id)`.execute(db);
  await sql`ALTER TABLE rejected_trades
    ADD COLUMN job_id_truncated boolean NOT NULL DEFAULT false AFTER job_id,
    ADD KEY rejected_trades_job_id_idx (job_id),
    DROP INDEX rejected_trades_job_id_unique`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE rejected_trades
    ADD UNIQUE KEY rejected_trades_job_id_unique (job_id),
    DROP INDEX rejected_trades_job_id_idx,
    DROP COLUMN job_id_truncated`.execute(db);
  await sql`ALTER TABLE trades
    ADD UNIQUE KEY trades_trade_id_unique (trade_id),
    DROP INDEX trades_account_trade_id_unique,
    DROP INDEX trades_account_id_idx`.execute(db);
}
