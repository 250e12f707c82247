import {
  AnalyticsAccumulator,
  buildPerformanceSummary,
  type PerformanceSummary as CoreSummary,
  type PnlMethod,
  type PortfolioHistoryPoint,
} from '@friren/analytics-core';
import type { PerformanceReport, RedisKeys } from '@friren/contracts';
import {
  type AnalyticsStateHead,
  type Database,
  type DB,
  deletePerformanceDaily,
  deletePerformanceMetrics,
  type EquityDailyRow,
  ensureAnalyticsState,
  listEquityDaily,
  lockAnalyticsState,
  readAnalyticsCheckpoint,
  saveAnalyticsCheckpoint,
  saveAnalyticsState,
  streamTradesAfter,
  upsertEquityDaily,
  upsertPerformanceDaily,
  upsertPerformanceMetrics,
} from '@friren/db';
import type { Logger } from '@friren/observability';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { dailyRows } from './daily-rows.js';
import { type HistoryDay, parseHistory } from './history.js';
import { metricRows, performanceReport } from './metric-rows.js';
import type { AnalyticsMetrics } from './metrics.js';
import { parsePositionPrices, pricesForSymbols } from './positions.js';
import { publishPerformance } from './publish.js';
import { accumulatorStateSchema } from './state-schema.js';

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
  /** False when Redis already held a newer version (a concurrent run published after us). */
  readonly published: boolean;
  readonly summary: CoreSummary;
  readonly report: PerformanceReport;
  readonly durationMs: number;
}

interface BrokerInputs {
  readonly history: readonly HistoryDay[] | null;
  readonly prices: ReadonlyMap<string, string>;
}

/**
 * One recompute of one account. In a single transaction holding the account's `analytics_state` row
 * lock: fold the ledger's settled trades after the cursor into the state, merge the broker's daily
 * history into `equity_daily`, write `performance_metrics` and the touched `performance_daily`
 * rows, the cursor and — when due — a checkpoint of the state with the ledger id it covers. Every
 * figure is derived from the state, and the state only ever pairs with its own cursor, so a crash
 * anywhere cannot count a trade twice: the next run folds again from the checkpoint. Then write
 * the Redis hash and publish (a failure there fails the run; its retry rewrites both).
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
    ({ committed, cache } = await ctx.database.db.transaction().execute(async (trx) => {
      const head = await lockAnalyticsState(trx, account);
      const loaded = await loadAccumulator(ctx, trx, head, opts.rebuild);
      const acc = loaded.acc;
      const fresh = loaded.rebuilt !== null;

      const history = await mergeHistory(trx, account, inputs.history, asOf);
      const from = loaded.cursor;

      let minTimestamp: string | undefined;
      const onProgress = opts.onProgress;
      const read = await streamTradesAfter(
        ctx.database.pool,
        { account, afterId: from, settleMs: ctx.settleMs },
        (trade) => {
          acc.add(trade);
          if (minTimestamp === undefined || trade.timestamp < minTimestamp) minTimestamp = trade.timestamp;
          if (onProgress !== undefined && (acc.fills & 4095) === 0) onProgress(acc.fills);
        },
      );
      onProgress?.(acc.fills);

      const summary = buildPerformanceSummary(acc, {
        prices: pricesForSymbols(inputs.prices, acc.symbols.keys()),
        history: history.points,
        asOf,
      });
      const revision = head.revision + 1;
      if (fresh) {
        await deletePerformanceMetrics(trx, account);
        await deletePerformanceDaily(trx, account);
      }
      await upsertPerformanceMetrics(trx, metricRows(account, summary));
      const dirtyFrom = fresh ? '' : earliest(minTimestamp?.slice(0, 10), history.changedFrom);
      if (dirtyFrom !== undefined) {
        await upsertPerformanceDaily(trx, dailyRows(account, acc, history.points, dirtyFrom));
      }
      const ahead = read.lastId !== loaded.checkpointCursor;
      const checkpoint =
        fresh ||
        (ahead &&
          (loaded.fromCheckpoint ||
            opts.checkpoint === true ||
            performance.now() - loaded.checkpointedAt >= (ctx.checkpointMs ?? 0)));
      await saveAnalyticsState(trx, {
        account,
        pnl_method: ctx.method,
        last_trade_id: read.lastId,
        fills: acc.fills,
        revision,
        ...(checkpoint
          ? { checkpoint: { state: JSON.stringify(acc.toJSON()), state_trade_id: read.lastId } }
          : {}),
        updated_at: asOf,
      });
      return {
        cache: {
          revision,
          method: ctx.method,
          acc,
          cursor: read.lastId,
          checkpointCursor: checkpoint ? read.lastId : loaded.checkpointCursor,
          checkpointedAt: checkpoint ? performance.now() : loaded.checkpointedAt,
        } satisfies CachedState,
        committed: {
          account,
          rebuilt: loaded.rebuilt,
          folded: read.count,
          lastTradeId: read.lastId,
          checkpointed: checkpoint,
          fills: acc.fills,
          revision,
          unsettled: read.unsettled,
          summary,
          report: performanceReport(summary, revision),
        },
      };
    }));
  } catch (error) {
    // The cached accumulator may hold trades of the rolled-back fold.
    ctx.cache.delete(account);
    ctx.metrics?.recomputeFailures.inc({ account });
    throw error;
  }
  ctx.cache.set(account, cache);
  const published = await publishPerformance(ctx.redis, ctx.keys, account, committed.report);

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

interface Loaded {
  readonly acc: AnalyticsAccumulator;
  readonly rebuilt: RebuildReason | null;
  /** Ledger id to fold after. */
  readonly cursor: string;
  /** Loaded from the stored checkpoint (so the stored one is behind once anything is folded). */
  readonly fromCheckpoint: boolean;
  readonly checkpointCursor: string;
  readonly checkpointedAt: number;
}

/** The accumulator to continue from — cached, or the stored checkpoint — or a fresh one (and why). */
async function loadAccumulator(
  ctx: RecomputeContext,
  trx: Kysely<DB>,
  head: AnalyticsStateHead,
  rebuild: RecomputeOptions['rebuild'],
): Promise<Loaded> {
  const fresh = (rebuilt: RebuildReason): Loaded => ({
    acc: new AnalyticsAccumulator({ method: ctx.method, account: head.account }),
    rebuilt,
    cursor: '0',
    fromCheckpoint: false,
    checkpointCursor: head.state_trade_id,
    checkpointedAt: -Infinity,
  });
  if (rebuild !== undefined) return fresh(rebuild);
  if (head.pnl_method !== ctx.method) {
    ctx.logger.warn(
      { account: head.account, from: head.pnl_method, to: ctx.method },
      'PNL_METHOD changed: rebuilding',
    );
    return fresh('pnl_method changed');
  }
  const cached = ctx.cache.get(head.account);
  // Only this process can have written the revision its cache holds: then nobody else folded since.
  if (cached !== undefined && cached.revision === head.revision && cached.method === ctx.method) {
    return { ...cached, rebuilt: null, fromCheckpoint: false };
  }
  const stored = await readAnalyticsCheckpoint(trx, head.account);
  if (stored.state === null) return fresh(head.last_trade_id === '0' ? 'first run' : 'state unreadable');
  try {
    const state = accumulatorStateSchema.parse(JSON.parse(stored.state));
    if (state.method !== ctx.method) return fresh('pnl_method changed');
    return {
      acc: AnalyticsAccumulator.fromJSON(state),
      rebuilt: null,
      cursor: stored.state_trade_id,
      fromCheckpoint: true,
      checkpointCursor: stored.state_trade_id,
      checkpointedAt: -Infinity,
    };
  } catch (error) {
    ctx.logger.error({ account: head.account, err: error }, 'stored analytics state unreadable: rebuilding');
    return fresh('state unreadable');
  }
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
 * Merges the broker's history into `equity_daily` (days kept beyond the broker's window; the
 * broker's latest word on a day wins) and returns every stored day plus the earliest one changed.
 */
async function mergeHistory(
  trx: Kysely<DB>,
  account: string,
  incoming: readonly HistoryDay[] | null,
  now: string,
): Promise<{ points: PortfolioHistoryPoint[]; changedFrom: string | undefined }> {
  const stored = await listEquityDaily(trx, account);
  const byDate = new Map(stored.map((r) => [r.date, r]));
  const changed: EquityDailyRow[] = [];
  for (const day of incoming ?? []) {
    const before = byDate.get(day.date);
    if (
      before !== undefined &&
      before.equity === day.equity &&
      before.profit_loss === day.profit_loss &&
      before.profit_loss_pct === day.profit_loss_pct
    ) {
      continue;
    }
    const row = { account, ...day };
    changed.push(row);
    byDate.set(day.date, row);
  }
  if (changed.length > 0) await upsertEquityDaily(trx, changed, now);
  const points = [...byDate.values()]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((r) => ({ date: r.date, equity: r.equity, profit_loss_pct: r.profit_loss_pct }));
  return {
    points,
    changedFrom: changed.reduce<string | undefined>((m, r) => earliest(m, r.date), undefined),
  };
}

/**
 * The broker's view from Redis. An unreadable value is logged and treated as absent, so a poller
 * bug cannot stop analytics: the stored history is used, and lots without a price are reported.
 */
async function readBrokerInputs(ctx: RecomputeContext, account: string): Promise<BrokerInputs> {
  const [historyJson, positionsJson] = await ctx.redis.mget(
    ctx.keys.history(account),
    ctx.keys.positions(account),
  );
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
      ctx.logger.warn({ account, err: error }, 'unreadable positions in Redis; unrealized P&L left out');
    }
  }
  return { history, prices };
}

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
