import { CONFIDENCE_BUCKETS, confidenceIndex, SENTIMENT_BUCKETS, sentimentIndex } from './buckets.js';
import { NewYorkDayClock } from './day.js';
import { DayFlows, EndOfDayQuantity, LastFillPrice } from './day-ledger.js';
import { formatMoney, parseFixed, parseMoney, QUANTITY_SCALE, SCALE_9_TO_18 } from './fixed.js';
import { LotBook, type LotState, type LotTuple } from './lot-book.js';
import type { SeriesCache } from './series-cache.js';
import { RunningTradeStats, type TradeStatsState } from './trade-stats.js';
import type { AnalyticsTrade, PnlMethod } from './types.js';

/**
 * Per-symbol running state of the account: the account-wide lot book (every strategy's fills, the
 * book the broker and a tax report see), its closing-fill statistics and the last fill price of
 * each day.
 */
export class SymbolState {
  fills = 0;
  readonly stats = new RunningTradeStats();
  readonly book: LotBook;
  lastFill = new LastFillPrice();
  constructor(symbol: string, method: PnlMethod) {
    this.book = new LotBook(symbol, method);
  }
}

/** One strategy's own position in one symbol: its lots, and its quantity at the end of each day. */
export class StrategyPosition {
  readonly book: LotBook;
  endOfDay = new EndOfDayQuantity();
  constructor(symbol: string, method: PnlMethod) {
    this.book = new LotBook(symbol, method);
  }
}

/**
 * Per-strategy running state. Each strategy owns its lots: its fills match only its own open lots
 * of the symbol, so its realized P&L is that of the round trips it opened and closed itself.
 */
export class StrategyState {
  /** Fills whose `strategy_used` is this strategy (opening and closing). */
  fills = 0;
  /** Over this strategy's closing fills, on its own lots. */
  readonly stats = new RunningTradeStats();
  /** Realized P&L and net cash per New York day. */
  flows = new DayFlows();
  readonly positions = new Map<string, StrategyPosition>();

  /** Realized P&L per New York day, for the days it closed something. */
  get daily(): Map<string, bigint> {
    const out = new Map<string, bigint>();
    for (const f of this.flows.flows) if (f.closes > 0) out.set(f.day, f.realized);
    return out;
  }
}

/**
 * The serialised accumulator: plain JSON, money and quantities as decimal strings. Version 3 stores
 * a strategy's own lots as [signed quantity, cost] tuples; version 2 (lots as objects) still loads.
 */
export interface AccumulatorState {
  readonly version: 2 | 3;
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
    /** [New York day, last fill price that day]. */
    readonly last_fill: readonly (readonly [string, string])[];
  }[];
  readonly strategies: readonly {
    readonly strategy: string;
    readonly fills: number;
    readonly stats: TradeStatsState;
    /** [New York day, realized P&L, net cash, closing fills], days ascending. */
    readonly flows: readonly (readonly [string, string, string, number])[];
    readonly positions: readonly {
      readonly symbol: string;
      readonly lots: readonly (LotState | LotTuple)[];
      readonly end_of_day: readonly (readonly [string, string])[];
    }[];
  }[];
}

export interface AccumulatorOptions {
  /** `PNL_METHOD`; default `fifo`. */
  readonly method?: PnlMethod;
  /** The account this accumulator folds; by default the first trade's. */
  readonly account?: string;
}

/**
 * The incremental fold of one account's fills, in ledger (execution) order: the account's open lots
 * per symbol (its realized P&L and the statistics overall, per symbol, sentiment and confidence
 * bucket), each strategy's own lots per symbol (its realized P&L and statistics), and per New York
 * day each strategy's realized P&L, net cash and end-of-day quantities, from which its daily P&L at
 * any marks follows (see `series.ts`). Each `add` is O(1) amortised (FIFO: plus the lots it closes),
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
  // Most fills share the previous fill's day, so its string (and hash) is reused.
  private readonly clock = new NewYorkDayClock();
  // The earliest day of a fill folded since the series cache last looked (see `series-cache.ts`).
  private touchedFrom: string | undefined;
  /** The trading series' past days, kept between summaries of this accumulator; never serialized. */
  seriesCache: SeriesCache | undefined;

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
    const day = this.clock.dayOf(ts);
    if (this.accountName === null) this.accountName = trade.account;
    else if (trade.account !== this.accountName) {
      throw new RangeError(
        `trade ${trade.trade_id} is for account ${trade.account}, not ${this.accountName}`,
      );
    }

    const buy = side === 'buy';
    const fee = fee9 === 0n ? 0n : fee9 * SCALE_9_TO_18;
    const symbol = trade.symbol;
    const name = trade.strategy_used;
    let sym = this.symbolMap.get(symbol);
    if (sym === undefined) {
      sym = new SymbolState(symbol, this.method);
      this.symbolMap.set(symbol, sym);
    }
    let strat = this.strategyMap.get(name);
    if (strat === undefined) {
      strat = new StrategyState();
      this.strategyMap.set(name, strat);
    }
    let own = strat.positions.get(symbol);
    if (own === undefined) {
      own = new StrategyPosition(symbol, this.method);
      strat.positions.set(symbol, own);
    }
    const notional = quantity * price;
    const realized = sym.book.apply(buy, quantity, price, fee, name, trade.trade_id, ts, notional);
    const ownRealized = own.book.apply(buy, quantity, price, fee, name, trade.trade_id, ts, notional);

    this.fillCount++;
    sym.fills++;
    strat.fills++;
    if (fee !== 0n) this.feeTotal += fee;
    this.lastIdValue = trade.id ?? null;
    this.lastTimestampValue = ts;
    if (this.touchedFrom === undefined || day < this.touchedFrom) this.touchedFrom = day;
    sym.lastFill.set(day, price);
    own.endOfDay.record(day, own.book.position, buy, quantity);
    const flow = strat.flows.of(day);
    const cash = fee === 0n ? notional : buy ? notional + fee : notional - fee;
    flow.cash = buy ? flow.cash - cash : flow.cash + cash;
    if (ownRealized !== null) {
      strat.stats.record(ownRealized);
      flow.realized += ownRealized;
      flow.closes++;
    }
    if (realized !== null) {
      this.overall.record(realized);
      sym.stats.record(realized);
      (this.sentiment[sentimentIndex(trade.finbert_sentiment)] as RunningTradeStats).record(realized);
      (this.confidence[confidenceIndex(trade.confidence_score)] as RunningTradeStats).record(realized);
    }
    return realized;
  }

  /** The earliest New York day of the fills folded since the last call (undefined: none). */
  takeTouchedFrom(): string | undefined {
    const day = this.touchedFrom;
    this.touchedFrom = undefined;
    return day;
  }

  /** Folds fills in order; returns this. */
  addAll(trades: Iterable<AnalyticsTrade>): this {
    for (const t of trades) this.add(t);
    return this;
  }

  toJSON(): AccumulatorState {
    return {
      version: 3,
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
        last_fill: s.lastFill.toJSON(),
      })),
      strategies: [...this.strategyMap].map(([strategy, s]) => ({
        strategy,
        fills: s.fills,
        stats: s.stats.toJSON(),
        flows: s.flows.toJSON(),
        positions: [...s.positions].map(([symbol, p]) => ({
          symbol,
          lots: p.book.lotsToTuples(),
          end_of_day: p.endOfDay.toJSON(),
        })),
      })),
    };
  }

  /** Throws `RangeError` on a state of another version (the caller folds the ledger again). */
  static fromJSON(state: AccumulatorState): AnalyticsAccumulator {
    if (state.version !== 2 && state.version !== 3)
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
      sym.lastFill = LastFillPrice.fromJSON(s.last_fill);
      acc.symbolMap.set(s.symbol, sym);
    }
    for (const s of state.strategies) {
      const strat = new StrategyState();
      strat.fills = s.fills;
      assign(strat.stats, s.stats);
      strat.flows = DayFlows.fromJSON(s.flows);
      for (const p of s.positions) {
        const own = new StrategyPosition(p.symbol, state.method);
        own.book.restoreLots(p.lots, s.strategy);
        own.endOfDay = EndOfDayQuantity.fromJSON(p.end_of_day);
        strat.positions.set(p.symbol, own);
      }
      acc.strategyMap.set(s.strategy, strat);
    }
    return acc;
  }
}

function assign(target: RunningTradeStats | undefined, state: TradeStatsState): void {
  if (target === undefined) throw new RangeError('accumulator state has too many buckets');
  target.load(state);
}
