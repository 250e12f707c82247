import type { TradeJob } from '@friren/contracts';
import {
  type Database,
  InsertRejectedError,
  insertRejected,
  insertTrades,
  type RejectedRow,
} from '@friren/db';
import type { AnalyticsTrigger } from './analytics-trigger.js';
import type { RecorderMetrics } from './metrics.js';

/** What a job puts into the group commit. */
export type LedgerItem =
  | {
      readonly kind: 'trade';
      readonly trade: TradeJob /** BullMQ job timestamp (ms). */;
      readonly queuedAt: number;
    }
  | { readonly kind: 'reject'; readonly row: RejectedRow };

/**
 * Per item: a trade is `recorded` (durable, new or already there), a rejection `stored`; a trade
 * the database would have had to alter is `refused` (it never reaches the ledger).
 */
export type LedgerResult =
  | { readonly status: 'recorded' }
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
 * The batch's write: every rejection and every trade of the batch in multi-row INSERT IGNOREs
 * (unique `job_id` / `trade_id` make redelivery a no-op), then one analytics trigger per touched
 * account. Any database error fails the whole batch, and its jobs are retried.
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
      let inserted = 0;
      try {
        inserted = await insertTrades(
          db,
          trades.map((t) => t.trade),
        );
        for (const t of trades) results[t.index] = { status: 'recorded' };
      } catch (error) {
        if (!(error instanceof InsertRejectedError)) throw error;
        // Some row would be stored altered. Validation should make this impossible, but if it
        // happens, that row alone must be refused, not the whole batch retried forever.
        inserted = await isolateRefused(db, trades, results);
      }
      metrics.batchDuration.observe((performance.now() - started) / 1000);
      const committedAt = Date.now();
      // Counted per (account, strategy) once per batch: label lookups per trade add up at 20k/s.
      const perLabel = new Map<string, { account: string; strategy: string; n: number }>();
      let recorded = 0;
      for (const t of trades) {
        if (results[t.index]?.status !== 'recorded') continue;
        recorded++;
        const key = `${t.trade.account}\u0000${t.trade.strategy_used}`;
        const entry = perLabel.get(key);
        if (entry) entry.n++;
        else perLabel.set(key, { account: t.trade.account, strategy: t.trade.strategy_used, n: 1 });
        metrics.commitLatency.observe(Math.max(0, committedAt - t.queuedAt) / 1000);
      }
      for (const { account, strategy, n } of perLabel.values())
        metrics.recorded.inc({ account, strategy }, n);
      if (recorded > inserted) metrics.duplicates.inc(recorded - inserted);
      // Best effort and off the acknowledgement path: the trades are durable already, and a job
      // should not wait on Redis round trips for analytics to be told.
      void trigger.notify(new Set([...perLabel.values()].map((e) => e.account)));
      return results;
    } catch (error) {
      metrics.batchFailures.inc();
      throw error;
    }
  };
}

async function isolateRefused(
  db: Database['db'],
  trades: readonly { index: number; trade: TradeJob }[],
  results: LedgerResult[],
): Promise<number> {
  let inserted = 0;
  for (const t of trades) {
    try {
      inserted += await insertTrades(db, [t.trade]);
      results[t.index] = { status: 'recorded' };
    } catch (error) {
      if (!(error instanceof InsertRejectedError)) throw error;
      results[t.index] = {
        status: 'refused',
        reason: `would be stored altered (${error.warnings.join('; ')})`,
      };
    }
  }
  return inserted;
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
