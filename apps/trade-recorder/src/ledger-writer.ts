import type { TradeJob } from '@friren/contracts';
import {
  type Database,
  type FieldDifference,
  InsertRejectedError,
  insertRejected,
  type RejectedRow,
  recordTrades,
  type TradeOutcome,
} from '@friren/db';
import type { AnalyticsTrigger } from './analytics-trigger.js';
import type { RecorderMetrics } from './metrics.js';

/** What a job puts into the group commit. */
export type LedgerItem =
  | {
      readonly kind: 'trade';
      readonly trade: TradeJob;
      /** BullMQ job timestamp (ms). */
      readonly queuedAt: number;
    }
  | { readonly kind: 'reject'; readonly row: RejectedRow };

/**
 * Per item: a trade is `recorded` (a new row), `duplicate` (the ledger already held this very trade),
 * `conflict` (the ledger holds another trade under its (account, trade_id); nothing written, the
 * reason names the recorded trade and the differing fields) or `refused` (the database would have
 * had to alter it); a rejection is `stored`.
 */
export type LedgerResult =
  | { readonly status: 'recorded' }
  | { readonly status: 'duplicate' }
  | { readonly status: 'conflict'; readonly reason: string }
  | { readonly status: 'stored' }
  | { readonly status: 'refused'; readonly reason: string };

/** Rejections can carry megabyte payloads; one statement stays well below max_allowed_packet. */
const MAX_REJECT_CHARS_PER_STATEMENT = 1024 * 1024;

export interface LedgerWriterDeps {
  readonly db: Database['db'];
  readonly metrics: RecorderMetrics;
  readonly trigger: AnalyticsTrigger;
}

/**
 * The batch's write: every rejection (each one a row, however often its job id was seen) and every
 * trade of the batch (the new ones inserted, the others told apart as redelivery or conflict), then
 * one analytics trigger per account that gained a trade. A database error fails the whole batch, and
 * its jobs are retried; a value the database refuses fails only its own row.
 */
export function createLedgerWriter(deps: LedgerWriterDeps) {
  const { db, metrics, trigger } = deps;

  return async function writeBatch(items: readonly LedgerItem[]): Promise<LedgerResult[]> {
    const started = performance.now();
    metrics.batchSize.observe(items.length);
    const results: LedgerResult[] = new Array(items.length);
    const trades: { index: number; trade: TradeJob; queuedAt: number }[] = [];
    const rejects: RejectedRow[] = [];
    items.forEach((item, index) => {
      if (item.kind === 'trade') trades.push({ index, trade: item.trade, queuedAt: item.queuedAt });
      else {
        rejects.push(item.row);
        results[index] = { status: 'stored' };
      }
    });

    try {
      for (const chunk of chunkByPayloadSize(rejects)) await insertRejected(db, chunk);
      try {
        const outcomes = await recordTrades(
          db,
          trades.map((t) => t.trade),
        );
        outcomes.forEach((outcome, i) => {
          const t = trades[i]!;
          results[t.index] = toResult(outcome, t.trade);
        });
      } catch (error) {
        if (!(error instanceof InsertRejectedError)) throw error;
        // Some row would be stored altered. Validation should make this impossible, but if it
        // happens, that row alone must be refused, not the whole batch retried forever.
        await isolateRefused(db, trades, results);
      }
      metrics.batchDuration.observe((performance.now() - started) / 1000);
      const committedAt = Date.now();
      // Counted per (account, strategy) once per batch: label lookups per trade add up at 20k/s.
      const perLabel = new Map<string, { account: string; strategy: string; n: number }>();
      let duplicates = 0;
      for (const t of trades) {
        const status = results[t.index]?.status;
        if (status !== 'recorded' && status !== 'duplicate') continue;
        metrics.commitLatency.observe(Math.max(0, committedAt - t.queuedAt) / 1000);
        if (status === 'duplicate') {
          duplicates++;
          continue;
        }
        const key = `${t.trade.account}\u0000${t.trade.strategy_used}`;
        const entry = perLabel.get(key);
        if (entry) entry.n++;
        else perLabel.set(key, { account: t.trade.account, strategy: t.trade.strategy_used, n: 1 });
      }
      for (const { account, strategy, n } of perLabel.values())
        metrics.recorded.inc({ account, strategy }, n);
      if (duplicates > 0) metrics.duplicates.inc(duplicates);
      // Best effort and off the acknowledgement path: the trades are durable already, and a job
      // should not wait on Redis round trips for analytics to be told.
      if (perLabel.size > 0) void trigger.notify(new Set([...perLabel.values()].map((e) => e.account)));
      return results;
    } catch (error) {
      metrics.batchFailures.inc();
      throw error;
    }
  };
}

function toResult(outcome: TradeOutcome, trade: TradeJob): LedgerResult {
  switch (outcome.status) {
    case 'inserted':
      return { status: 'recorded' };
    case 'duplicate':
      return { status: 'duplicate' };
    case 'conflict':
      return { status: 'conflict', reason: conflictReason(outcome.id, trade, outcome.differences) };
  }
}

/**
 * `conflicts with recorded trade 17 (account "a1", trade_id "X"): side recorded "buy", received
 * "sell"; quantity recorded "10", received "999"`
 */
export function conflictReason(
  ledgerId: string,
  trade: TradeJob,
  differences: readonly FieldDifference[],
): string {
  const fields = differences
    .map((d) => `${d.field} recorded ${d.recorded}, received ${d.received}`)
    .join('; ');
  return `conflicts with recorded trade ${ledgerId} (account ${JSON.stringify(trade.account)}, trade_id ${JSON.stringify(trade.trade_id)}): ${fields}`;
}

async function isolateRefused(
  db: Database['db'],
  trades: readonly { index: number; trade: TradeJob }[],
  results: LedgerResult[],
): Promise<void> {
  for (const t of trades) {
    try {
      const [outcome] = await recordTrades(db, [t.trade]);
      results[t.index] = toResult(outcome!, t.trade);
    } catch (error) {
      if (!(error instanceof InsertRejectedError)) throw error;
      results[t.index] = {
        status: 'refused',
        reason: `would be stored altered (${error.warnings.join('; ')})`,
      };
    }
  }
}

function* chunkByPayloadSize(rows: readonly RejectedRow[]): Generator<RejectedRow[]> {
  let chunk: RejectedRow[] = [];
  let chars = 0;
  for (const row of rows) {
    const size = row.payload.length + row.reason.length;
    if (chunk.length > 0 && chars + size > MAX_REJECT_CHARS_PER_STATEMENT) {
      yield chunk;
      chunk = [];
      chars = 0;
    }
    chunk.push(row);
    chars += size;
  }
  if (chunk.length > 0) yield chunk;
}
