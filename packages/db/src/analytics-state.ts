import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { toSqlDateTime } from './datetime.js';
import type { DB } from './schema.js';

export type PnlMethodColumn = 'fifo' | 'average';

/** An account's analytics progress, without the (possibly large) serialized state. */
export interface AnalyticsStateHead {
  readonly account: string;
  readonly pnl_method: PnlMethodColumn;
  /** Ledger id of the last folded trade, '0' before the first. */
  readonly last_trade_id: string;
  /** Trades folded so far: every ledger row of the account with id ≤ last_trade_id. */
  readonly fills: number;
  /** +1 per recompute. */
  readonly revision: number;
  /** Ledger id the checkpointed state covers (≤ last_trade_id). */
  readonly state_trade_id: string;
}

const HEAD_COLUMNS = [
  'account',
  'pnl_method',
  'last_trade_id',
  'fills',
  'revision',
  'state_trade_id',
] as const;

const id = z.coerce.string().regex(/^\d+$/);
const headSchema = z.object({
  account: z.string(),
  pnl_method: z.enum(['fifo', 'average']),
  last_trade_id: id,
  fills: z.coerce.number().int().nonnegative(),
  revision: z.coerce.number().int().nonnegative(),
  state_trade_id: id,
});

/**
 * Creates the account's state row if absent. Run it outside the recompute transaction: two
 * transactions that both find the row missing under `FOR UPDATE` hold gap locks and would deadlock
 * on the insert.
 */
export async function ensureAnalyticsState(
  db: Kysely<DB>,
  account: string,
  method: PnlMethodColumn,
  now: string,
): Promise<void> {
  // A no-op update on a duplicate, rather than INSERT IGNORE, which would hide real errors.
  await db
    .insertInto('analytics_state')
    .values({ account, pnl_method: method, state: null, updated_at: toSqlDateTime(now) })
    .onDuplicateKeyUpdate({ account: sql`account` })
    .execute();
}

/**
 * Locks the account's state row (`SELECT … FOR UPDATE`) for the rest of the transaction:
 * recomputes of one account — from any number of worker replicas or a `rebuild` — run one after
 * the other, each seeing the previous one's cursor. The row must exist (`ensureAnalyticsState`).
 */
export async function lockAnalyticsState(trx: Kysely<DB>, account: string): Promise<AnalyticsStateHead> {
  const row = await trx
    .selectFrom('analytics_state')
    .select(HEAD_COLUMNS)
    .where('account', '=', account)
    .forUpdate()
    .executeTakeFirst();
  if (row === undefined) throw new Error(`no analytics_state row for account ${account}`);
  return headSchema.parse(row);
}

const checkpointSchema = z.object({ state: z.string().nullable(), state_trade_id: id });

/** The checkpointed accumulator of an account (`state` null before the first checkpoint). */
export async function readAnalyticsCheckpoint(
  db: Kysely<DB>,
  account: string,
): Promise<{ state: string | null; state_trade_id: string }> {
  const row = await db
    .selectFrom('analytics_state')
    .select(['state', 'state_trade_id'])
    .where('account', '=', account)
    .executeTakeFirst();
  return checkpointSchema.parse(row ?? { state: null, state_trade_id: '0' });
}

export interface AnalyticsStateUpdate extends Omit<AnalyticsStateHead, 'state_trade_id'> {
  /** A new checkpoint: the serialized accumulator and the ledger id it covers. */
  readonly checkpoint?: { readonly state: string; readonly state_trade_id: string };
  /** ISO UTC. */
  readonly updated_at: string;
}

/** Updates the account's progress and, when given, its checkpoint (inside the locking transaction). */
export async function saveAnalyticsState(trx: Kysely<DB>, update: AnalyticsStateUpdate): Promise<void> {
  await trx
    .updateTable('analytics_state')
    .set({
      pnl_method: update.pnl_method,
      last_trade_id: update.last_trade_id,
      fills: update.fills,
      revision: update.revision,
      updated_at: toSqlDateTime(update.updated_at),
      ...(update.checkpoint === undefined
        ? {}
        : { state: update.checkpoint.state, state_trade_id: update.checkpoint.state_trade_id }),
    })
    .where('account', '=', update.account)
    .executeTakeFirstOrThrow();
}

/** Every account's progress (for operators and tests). */
export async function listAnalyticsStates(db: Kysely<DB>): Promise<AnalyticsStateHead[]> {
  const rows = await db.selectFrom('analytics_state').select(HEAD_COLUMNS).orderBy('account').execute();
  return rows.map((r) => headSchema.parse(r));
}

/** Stores a checkpoint alone (figures unchanged, so the revision stays), inside the locking transaction. */
export async function saveAnalyticsCheckpoint(
  trx: Kysely<DB>,
  account: string,
  checkpoint: { readonly state: string; readonly state_trade_id: string },
): Promise<void> {
  await trx
    .updateTable('analytics_state')
    .set({ state: checkpoint.state, state_trade_id: checkpoint.state_trade_id })
    .where('account', '=', account)
    .executeTakeFirstOrThrow();
}
