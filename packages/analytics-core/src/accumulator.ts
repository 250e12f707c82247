import { CONFIDENCE_BUCKETS, confidenceIndex, SENTIMENT_BUCKETS, sentimentIndex } from './buckets.js';
import { utcDay } from './day.js';
import { formatMoney, parseFixed, parseMoney, QUANTITY_SCALE, SCALE_9_TO_18 } from './fixed.js';
import { LotBook, type LotState } from './lot-book.js';
import { RunningTradeStats, type TradeStatsState } from './trade-stats.js';
import type { AnalyticsTrade, PnlMethod } from './types.js';

/** Per-symbol running state: the lot book plus the symbol's closing-fill statistics. */
export class SymbolState {
  fills = 0;
  readonly stats = new RunningTradeStats();
  readonly book: LotBook;
  constructor(symbol: string, method: PnlMethod) {
    this.book = new LotBook(symbol, method);
  }
}

/** Per-strategy running state; realized P&L is attributed to the strategy of the closing fill. */
export class StrategyState {
  /** Fills whose `strategy_used` is this strategy (opening and closing). */
  fills = 0;
  readonly stats = new RunningTradeStats();
  /** Realized P&L per UTC day, money scale. */
  readonly daily = new Map<string, bigint>();
}

/** The serialised accumulator: plain JSON, money and quantities as decimal strings. */
export interface AccumulatorState {
  readonly version: 1;
  readonly method: PnlMethod;
  readonly account: string | null;
  readonly fills: number;
  readonly fees: string;
  readonly last_id: string | null;
  readonly last_timestamp: string | null;
  readonly overall: TradeStatsState;
  readonly sentiment: readonly TradeStatsState[];
  readonly confidence: readonly TradeStatsState[];
  readonly symbols: readonly {
    readonly symbol: string;
    readonly fills: number;
    readonly stats: TradeStatsState;
    readonly lots: readonly LotState[];
  }[];
  readonly strategies: readonly {
    readonly strategy: string;
    readonly fills: number;
    readonly stats: TradeStatsState;
    /** [day, realized P&L] in first-seen order. */
    readonly daily: readonly (readonly [string, string])[];
  }[];
}

export interface AccumulatorOptions {
  /** `PNL_METHOD`; default `fifo`. */
  readonly method?: PnlMethod;
  /** The account this accumulator folds; by default the first trade's. */
  readonly account?: string;
}

/**
 * The incremental fold of one account's fills, in ledger (execution) order: open lots per symbol,
 * running trade statistics overall and per strategy, symbol, sentiment and confidence bucket, and
 * realized P&L per strategy per day. Each `add` is O(1) amortised (FIFO: plus the lots it closes),
 * and since the state depends only on the sequence of fills, any split of that sequence into
 * batches — or a `toJSON` → `fromJSON` in between — ends in the same state.
 */
export class AnalyticsAccumulator {
  readonly method: PnlMethod;
  private accountName: string | null;
  private fillCount = 0;
  private feeTotal = 0n;
  private lastIdValue: string | null = null;
  private lastTimestampValue: string | null = null;
  readonly overall = new RunningTradeStats();
  readonly sentiment: readonly RunningTradeStats[] = SENTIMENT_BUCKETS.map(() => new RunningTradeStats());
  readonly confidence: readonly RunningTradeStats[] = CONFIDENCE_BUCKETS.map(() => new RunningTradeStats());
  private readonly symbolMap = new Map<string, SymbolState>();
  private readonly strategyMap = new Map<string, StrategyState>();
  // The day of the previous fill: most fills share it, so its string (and hash) is reused.
  private lastDay = '';

  constructor(options: AccumulatorOptions = {}) {
    this.method = options.method ?? 'fifo';
    this.accountName = options.account ?? null;
  }

  get account(): string | null {
    return this.accountName;
  }
  /** Fills folded so far. */
  get fills(): number {
    return this.fillCount;
  }
  /** Σ fees of every fill, money scale. */
  get fees(): bigint {
    return this.feeTotal;
  }
  /** `id` of the last fill folded (the ledger cursor), if fills carry one. */
  get lastId(): string | null {
    return this.lastIdValue;
  }
  get lastTimestamp(): string | null {
    return this.lastTimestampValue;
  }
  get symbols(): ReadonlyMap<string, SymbolState> {
    return this.symbolMap;
  }
  get strategies(): ReadonlyMap<string, StrategyState> {
    return this.strategyMap;
  }
  /** Σ realized P&L, money scale. */
  get realized(): bigint {
    return this.overall.realized;
  }

  /**
   * Folds one fill. Returns its realized P&L (money scale, net of fees; see `formatMoney`) or `null`
   * when it only opened or added to a position. Throws `RangeError` — before changing anything —
   * on a malformed fill or one of another account.
   */
  add(trade: AnalyticsTrade): bigint | null {
    const quantity = parseFixed(trade.quantity, QUANTITY_SCALE);
    const price = parseFixed(trade.price, QUANTITY_SCALE);
    const fee9 = parseFixed(trade.fees, QUANTITY_SCALE);
    if (quantity <= 0n) throw new RangeError(`trade ${trade.trade_id}: quantity must be > 0`);
    if (price <= 0n) throw new RangeError(`trade ${trade.trade_id}: price must be > 0`);
    if (fee9 < 0n) throw new RangeError(`trade ${trade.trade_id}: fees must be ≥ 0`);
    const side = trade.side;
    if (side !== 'buy' && side !== 'sell') throw new RangeError(`trade ${trade.trade_id}: bad side`);
    const ts = trade.timestamp;
    // Only a `Z` time's prefix is its UTC day; an offset must go through `utcDay`.
    const day =
      ts.charCodeAt(ts.length - 1) === 90 && this.lastDay !== '' && ts.startsWith(this.lastDay)
        ? this.lastDay
        : utcDay(ts);
    if (this.accountName === null) this.accountName = trade.account;
    else if (trade.account !== this.accountName) {
      throw new RangeError(
        `trade ${trade.trade_id} is for account ${trade.account}, not ${this.accountName}`,
      );
    }
    this.lastDay = day;

    const fee = fee9 === 0n ? 0n : fee9 * SCALE_9_TO_18;
    let sym = this.symbolMap.get(trade.symbol);
    if (sym === undefined) {
      sym = new SymbolState(trade.symbol, this.method);
      this.symbolMap.set(trade.symbol, sym);
    }
    let strat = this.strategyMap.get(trade.strategy_used);
    if (strat === undefined) {
      strat = new StrategyState();
      this.strategyMap.set(trade.strategy_used, strat);
    }
    const realized = sym.book.apply(
      side === 'buy',
      quantity,
      price,
      fee,
      trade.strategy_used,
      trade.trade_id,
      ts,
    );

    this.fillCount++;
    sym.fills++;
    strat.fills++;
    if (fee !== 0n) this.feeTotal += fee;
    this.lastIdValue = trade.id ?? null;
    this.lastTimestampValue = ts;
    if (realized !== null) {
      this.overall.record(realized);
      strat.stats.record(realized);
      sym.stats.record(realized);
      (this.sentiment[sentimentIndex(trade.finbert_sentiment)] as RunningTradeStats).record(realized);
      (this.confidence[confidenceIndex(trade.confidence_score)] as RunningTradeStats).record(realized);
      const daily = strat.daily;
      const before = daily.get(day);
      daily.set(day, before === undefined ? realized : before + realized);
    }
    return realized;
  }

  /** Folds fills in order; returns this. */
  addAll(trades: Iterable<AnalyticsTrade>): this {
    for (const t of trades) this.add(t);
    return this;
  }

  toJSON(): AccumulatorState {
    return {
      version: 1,
      method: this.method,
      account: this.accountName,
      fills: this.fillCount,
      fees: formatMoney(this.feeTotal),
      last_id: this.lastIdValue,
      last_timestamp: this.lastTimestampValue,
      overall: this.overall.toJSON(),
      sentiment: this.sentiment.map((s) => s.toJSON()),
      confidence: this.confidence.map((s) => s.toJSON()),
      symbols: [...this.symbolMap].map(([symbol, s]) => ({
        symbol,
        fills: s.fills,
        stats: s.stats.toJSON(),
        lots: s.book.lotsToJSON(),
      })),
      strategies: [...this.strategyMap].map(([strategy, s]) => ({
        strategy,
        fills: s.fills,
        stats: s.stats.toJSON(),
        daily: [...s.daily].map(([day, pnl]) => [day, formatMoney(pnl)] as const),
      })),
    };
  }

  static fromJSON(state: AccumulatorState): AnalyticsAccumulator {
    if (state.version !== 1)
      throw new RangeError(`unknown accumulator state version ${String(state.version)}`);
    const acc = new AnalyticsAccumulator(
      state.account === null ? { method: state.method } : { method: state.method, account: state.account },
    );
    acc.fillCount = state.fills;
    acc.feeTotal = parseMoney(state.fees);
    acc.lastIdValue = state.last_id;
    acc.lastTimestampValue = state.last_timestamp;
    assign(acc.overall, state.overall);
    for (const [i, s] of state.sentiment.entries()) assign(acc.sentiment[i], s);
    for (const [i, s] of state.confidence.entries()) assign(acc.confidence[i], s);
    for (const s of state.symbols) {
      const sym = new SymbolState(s.symbol, state.method);
      sym.fills = s.fills;
      assign(sym.stats, s.stats);
      sym.book.restoreLots(s.lots);
      acc.symbolMap.set(s.symbol, sym);
    }
    for (const s of state.strategies) {
      const strat = new StrategyState();
      strat.fills = s.fills;
      assign(strat.stats, s.stats);
      for (const [day, pnl] of s.daily) strat.daily.set(day, parseMoney(pnl));
      acc.strategyMap.set(s.strategy, strat);
    }
    return acc;
  }
}

function assign(target: RunningTradeStats | undefined, state: TradeStatsState): void {
  if (target === undefined) throw new RangeError('accumulator state has too many buckets');
  target.load(state);
}
