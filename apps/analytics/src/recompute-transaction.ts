import {
  AnalyticsAccumulator,
  type BrokerSource,
  brokerDailyReturns,
  buildPerformanceSummary,
  newYorkDay,
  type PortfolioHistoryPoint,
  reportBreakdowns,
} from '@friren/analytics-core';
import {
  type AnalyticsStateHead,
  type DB,
  deletePerformanceDaily,
  deletePerformanceMetrics,
  type EquityDailyRow,
  listEquityDaily,
  lockAnalyticsState,
  readAnalyticsCheckpoint,
  saveAnalyticsState,
  streamTradesAfter,
  upsertEquityDaily,
  upsertPerformanceDaily,
  upsertPerformanceMetrics,
} from '@friren/db';
import type { Kysely } from 'kysely';
import { dailyRows } from './daily-rows.js';
import type { HistoryDay } from './history.js';
import { recordAndLoadMarks } from './marks-store.js';
import { metricRows, performanceReport } from './metric-rows.js';
import { pricesForSymbols } from './positions.js';
import type {
  CachedState,
  RebuildReason,
  RecomputeContext,
  RecomputeOptions,
  RecomputeResult,
} from './recompute.js';
import { accumulatorStateSchema } from './state-schema.js';

/** The broker's view of the account, read from Redis before the transaction. */
export interface BrokerInputs {
  readonly history: readonly HistoryDay[] | null;
  readonly prices: ReadonlyMap<string, string>;
  /** The account snapshot's equity now and at the last close, and who produced it. */
  readonly account: { readonly equity: string; readonly lastEquity: string } | null;
  readonly source: BrokerSource | null;
}

/** What one committed recompute produced, and the accumulator to keep in memory after it. */
export interface Committed {
  readonly cache: CachedState;
  readonly committed: Omit<RecomputeResult, 'published' | 'durationMs'>;
}

/**
 * The body of one recompute, inside the transaction `trx`: lock the account's `analytics_state`
 * row, continue from the cached or stored state (or a fresh one), merge the broker's days, fold the
 * settled ledger rows after the cursor, and write the figures, the touched daily rows, the cursor
 * and — when due — the checkpoint. Every figure is derived from the state, and the state only ever
 * pairs with its own cursor, so a crash anywhere cannot count a trade twice.
 */
export async function foldAndCommit(
  ctx: RecomputeContext,
  trx: Kysely<DB>,
  account: string,
  inputs: BrokerInputs,
  asOf: string,
  opts: RecomputeOptions,
): Promise<Committed> {
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

  const today = newYorkDay(asOf);
  const prices = pricesForSymbols(inputs.prices, acc.symbols.keys());
  const closes = await recordAndLoadMarks(trx, account, today, prices, asOf);
  const summary = buildPerformanceSummary(acc, {
    prices,
    history: history.points,
    closes,
    ...(inputs.account === null ? {} : { account: inputs.account }),
    ...(inputs.source === null ? {} : { source: inputs.source }),
    asOf,
  });
  const revision = head.revision + 1;
  if (fresh) {
    await deletePerformanceMetrics(trx, account);
    await deletePerformanceDaily(trx, account);
  }
  await upsertPerformanceMetrics(trx, metricRows(account, summary));
  // Today's rows change with every mark; earlier ones only with new fills or history.
  const dirtyFrom = fresh
    ? ''
    : earliest(
        earliest(minTimestamp === undefined ? undefined : newYorkDay(minTimestamp), history.changedFrom),
        today,
      );
  if (dirtyFrom !== undefined) {
    await upsertPerformanceDaily(trx, dailyRows(account, summary.series, dirtyFrom));
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
      report: performanceReport(
        summary,
        revision,
        reportBreakdowns(
          acc,
          summary,
          inputs.account?.equity ?? history.points.at(-1)?.equity ?? null,
          brokerDailyReturns({
            history: history.points,
            ...(inputs.account === null
              ? {}
              : {
                  live: { date: today, equity: inputs.account.equity, lastEquity: inputs.account.lastEquity },
                }),
          }).map((d) => d.return),
        ),
      ),
    },
  };
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

function earliest(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
