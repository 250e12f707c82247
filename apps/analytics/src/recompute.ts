import type {
  AnalyticsAccumulator,
  PerformanceSummary as CoreSummary,
  PnlMethod,
} from '@friren/analytics-core';
import { decodeSnapshot, type PerformanceReport, type RedisKeys } from '@friren/contracts';
import { type Database, ensureAnalyticsState, lockAnalyticsState, saveAnalyticsCheckpoint } from '@friren/db';
import type { Logger } from '@friren/observability';
import type { Redis } from 'ioredis';
import { type HistoryDay, parseHistory } from './history.js';
import type { AnalyticsMetrics } from './metrics.js';
import { parsePositionPrices } from './positions.js';
import { publishCurrent } from './publish-current.js';
import { type BrokerInputs, foldAndCommit } from './recompute-transaction.js';

/** The last committed accumulator of an account, kept in memory so a recompute skips reloading it. */
export interface CachedState {
  readonly revision: number;
  readonly method: PnlMethod;
  readonly acc: AnalyticsAccumulator;
  /** Ledger id of the last trade in `acc`. */
  readonly cursor: string;
  /** The ledger id the stored checkpoint covers, and when it was written (performance.now()). */
  readonly checkpointCursor: string;
  readonly checkpointedAt: number;
}

export interface RecomputeContext {
  readonly database: Database;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** `PNL_METHOD`: a state folded with another method is rebuilt. */
  readonly method: PnlMethod;
  readonly settleMs: number;
  /**
   * How long the stored checkpoint may lag behind the in-memory state (0: checkpoint every run).
   * The state is the costly write of a recompute (≈1 MB after a million trades); figures, cursor and
   * revision are written every run regardless.
   */
  readonly checkpointMs?: number;
  readonly cache: Map<string, CachedState>;
  readonly logger: Logger;
  readonly metrics?: AnalyticsMetrics;
}

export type RebuildReason =
  | 'requested'
  | 'first run'
  | 'pnl_method changed'
  | 'state unreadable'
  | 'late trade';

export interface RecomputeOptions {
  /** Fold the whole ledger into a fresh state (and rewrite every row) instead of continuing. */
  readonly rebuild?: 'requested' | 'late trade';
  /** Called as trades are folded (with the running count), for a progress bar. */
  readonly onProgress?: (folded: number) => void;
  /** Write the checkpoint now if the state is ahead of it. */
  readonly checkpoint?: boolean;
}

export interface RecomputeResult {
  readonly account: string;
  /** Why the state was folded from the start, if it was. */
  readonly rebuilt: RebuildReason | null;
  /** Trades folded by this run. */
  readonly folded: number;
  /** The cursor: ledger id of the last folded trade. */
  readonly lastTradeId: string;
  /** This run stored a checkpoint of the state. */
  readonly checkpointed: boolean;
  /** Trades folded in total (every ledger row of the account up to the cursor). */
  readonly fills: number;
  /** The state's revision, also the hash's `version`. */
  readonly revision: number;
  /** Rows too recent to fold were left for a later run (see `settleMs`). */
  readonly unsettled: boolean;
  /**
   * False when Redis already held this version or a newer one (a concurrent run published after
   * us). A hash claiming a version the database never reached is replaced (see `publishCurrent`).
   */
  readonly published: boolean;
  readonly summary: CoreSummary;
  readonly report: PerformanceReport;
  readonly durationMs: number;
}

/**
 * One recompute of one account: read the broker's view from Redis, fold and commit in one
 * transaction holding the account's row lock (`foldAndCommit`), then write the Redis hash and
 * publish (a failure there fails the run; its retry rewrites both). A crash anywhere cannot count a
 * trade twice: the next run folds again from the checkpoint. Failures are counted by the caller
 * (`AccountRunner`), whatever the step.
 */
export async function recomputeAccount(
  ctx: RecomputeContext,
  account: string,
  opts: RecomputeOptions = {},
): Promise<RecomputeResult> {
  const started = performance.now();
  const asOf = new Date().toISOString();
  const inputs = await readBrokerInputs(ctx, account);
  // Once per account and process: after that the row exists for good.
  if (!ctx.cache.has(account)) await ensureAnalyticsState(ctx.database.db, account, ctx.method, asOf);
  let committed: Omit<RecomputeResult, 'published' | 'durationMs'>;
  let cache: CachedState;
  try {
    ({ committed, cache } = await ctx.database.db
      .transaction()
      .execute((trx) => foldAndCommit(ctx, trx, account, inputs, asOf, opts)));
  } catch (error) {
    // The cached accumulator may hold trades of the rolled-back fold.
    ctx.cache.delete(account);
    throw error;
  }
  ctx.cache.set(account, cache);
  const published = (await publishCurrent(ctx, account, committed.report)) !== 'newer';
  if (!published) {
    ctx.logger.debug(
      { account, version: committed.revision },
      'performance hash already holds this revision or a later one: not written',
    );
  }

  const durationMs = performance.now() - started;
  if (ctx.metrics !== undefined) {
    ctx.metrics.observe(account, committed.summary);
    ctx.metrics.tradesFolded.inc({ account }, committed.folded);
    ctx.metrics.recomputeSeconds.observe(
      { mode: committed.rebuilt ? 'rebuild' : 'incremental' },
      durationMs / 1000,
    );
    if (committed.rebuilt !== null) ctx.metrics.rebuilds.inc({ account, reason: committed.rebuilt });
  }
  if (committed.summary.missing_prices.length > 0) {
    ctx.logger.debug(
      { account, symbols: committed.summary.missing_prices },
      'open lots without a current price',
    );
  }
  return { ...committed, published, durationMs };
}

/**
 * Stores the cached state of an account as its checkpoint if it is ahead of the stored one and
 * still current (no other process recomputed since). For shutdown; returns whether it wrote.
 */
export async function checkpointAccount(ctx: RecomputeContext, account: string): Promise<boolean> {
  const cached = ctx.cache.get(account);
  if (cached === undefined || cached.cursor === cached.checkpointCursor) return false;
  return ctx.database.db.transaction().execute(async (trx) => {
    const head = await lockAnalyticsState(trx, account);
    if (head.revision !== cached.revision || head.pnl_method !== cached.method) return false;
    await saveAnalyticsCheckpoint(trx, account, {
      state: JSON.stringify(cached.acc.toJSON()),
      state_trade_id: cached.cursor,
    });
    ctx.cache.set(account, { ...cached, checkpointCursor: cached.cursor, checkpointedAt: performance.now() });
    return true;
  });
}

/**
 * The broker's view from Redis. An unreadable value is logged and treated as absent, so a poller
 * bug cannot stop analytics: the stored history is used, and lots without a price are reported.
 */
async function readBrokerInputs(ctx: RecomputeContext, account: string): Promise<BrokerInputs> {
  const [[historyJson, positionsJson], snapshotHash] = await Promise.all([
    ctx.redis.mget(ctx.keys.history(account), ctx.keys.positions(account)),
    ctx.redis.hgetall(ctx.keys.snapshot(account)),
  ]);
  let history: HistoryDay[] | null = null;
  let prices = new Map<string, string>();
  if (historyJson !== null && historyJson !== undefined) {
    try {
      history = parseHistory(historyJson);
    } catch (error) {
      ctx.logger.warn(
        { account, err: error },
        'unreadable portfolio history in Redis; using the stored days',
      );
    }
  }
  if (positionsJson !== null && positionsJson !== undefined) {
    try {
      prices = parsePositionPrices(positionsJson);
    } catch (error) {
      ctx.logger.warn({ account, err: error }, 'unreadable positions in Redis; marked at last fills');
    }
  }
  let snapshot: BrokerInputs['account'] = null;
  let source: BrokerInputs['source'] = null;
  if (Object.keys(snapshotHash).length > 0) {
    const decoded = decodeSnapshot(snapshotHash);
    if (decoded.ok) {
      source = decoded.snapshot.source;
      const { equity, last_equity } = decoded.snapshot;
      if (equity !== undefined && last_equity !== undefined) snapshot = { equity, lastEquity: last_equity };
    } else {
      ctx.logger.warn(
        { account, reason: decoded.reason },
        'unreadable account snapshot in Redis; today from the history',
      );
    }
  }
  return { history, prices, account: snapshot, source };
}
