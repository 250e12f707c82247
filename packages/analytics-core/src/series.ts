import type { AnalyticsAccumulator } from './accumulator.js';
import type { DayFlow } from './day-ledger.js';
import { MONEY_SCALE, toFloat } from './fixed.js';
import { type ClosingMarks, type Mark, MarkBoard, type MarkNote } from './marks.js';
import { type CachedValues, reusableDays } from './series-cache.js';
import type { PortfolioHistoryPoint, PriceMap } from './types.js';

/** One day of a strategy's (or all strategies') trading P&L, money scale. */
export interface TradingDay {
  readonly date: string;
  /** realized(d) + unrealized(end of d) − unrealized(end of d − 1). */
  readonly pnl: bigint;
  readonly realized: bigint;
  /** Account equity at the previous close (NaN when unknown). */
  readonly equity: number;
  /** pnl / equity: a contribution to the account's return. */
  readonly return: number;
}

export interface TradingSeriesInput {
  readonly history: readonly PortfolioHistoryPoint[];
  /** Recorded broker marks per (symbol, New York day). */
  readonly closes?: ClosingMarks;
  /** Today: its New York date, the live positions' prices, and the broker's `last_equity`. */
  readonly live?: {
    readonly date: string;
    readonly prices: PriceMap;
    /** Equity at the previous close, as the broker's account snapshot gives it. */
    readonly lastEquity?: string;
  };
}

export interface LatestMark {
  readonly date: string;
  readonly price: bigint;
  readonly source: Mark['source'];
}

export interface TradingSeries {
  /** The days of the series: history days, fill days and today, ascending. */
  readonly days: readonly string[];
  /** Per strategy, from its first fill day to the last day. */
  readonly strategies: ReadonlyMap<string, readonly TradingDay[]>;
  /** Σ over strategies, from the first fill day. */
  readonly total: readonly TradingDay[];
  /** Unrealized P&L at the last day's marks: per strategy (own lots) and the account's lots. */
  readonly unrealized: {
    readonly account: bigint;
    readonly byStrategy: ReadonlyMap<string, bigint>;
    readonly bySymbol: ReadonlyMap<string, bigint>;
  };
  /** The mark of every symbol held at the end of the last day. */
  readonly marks: ReadonlyMap<string, LatestMark>;
  readonly notes: readonly MarkNote[];
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * Each strategy's daily trading P&L and contribution returns, from its own lots:
 * P&L(d) = realized(d) + unrealized(end of d) − unrealized(end of d − 1), which is the change in the
 * market value of its positions plus the day's net cash (so it does not depend on FIFO vs average),
 * and return(d) = P&L(d) / account equity at the previous close. Days are New York dates; a
 * strategy's series starts on its first fill day and has every day since (history days, fill days,
 * today), so the strategies' returns add up to the total's on every day.
 */
export function tradingSeries(acc: AnalyticsAccumulator, input: TradingSeriesInput): TradingSeries {
  const history = [...input.history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const live = input.live;
  let firstFill: string | undefined;
  const fillDays: string[] = [];
  for (const s of acc.strategies.values()) {
    const first = s.flows.first;
    if (first !== undefined && (firstFill === undefined || first < firstFill)) firstFill = first;
    for (const f of s.flows.flows) fillDays.push(f.day);
  }
  const fillDaySet = new Set(fillDays);
  const days =
    firstFill === undefined
      ? []
      : sortedUnique([
          ...fillDays,
          ...history.map((h) => h.date).filter((d) => d >= (firstFill as string)),
          ...(live !== undefined && live.date >= firstFill ? [live.date] : []),
        ]).filter((d) => live === undefined || d <= live.date || fillDaySet.has(d)); // nothing after today
  const cache = acc.seriesCache;
  acc.seriesCache = undefined; // reinstated below, once this summary is complete
  const reusable = reusableDays(cache, days, acc.takeTouchedFrom(), live?.date);
  const board = new MarkBoard(
    acc,
    days,
    input.closes,
    live?.date,
    live?.prices,
    cache === undefined ? undefined : { marks: cache.marks, reusable },
  );
  const equity = previousCloses(days, history, live);

  const strategies = new Map<string, TradingDay[]>();
  const totalPnl: bigint[] = days.map(() => 0n);
  const totalRealized: bigint[] = days.map(() => 0n);
  const byStrategy = new Map<string, bigint>();
  const bySymbol = new Map<string, bigint>();
  const values = new Map<string, CachedValues>();
  const last = days.length - 1;
  for (const [name, s] of acc.strategies) {
    const start = s.flows.first === undefined ? days.length : days.indexOf(s.flows.first);
    const cachedValues = cache?.values.get(name);
    const positionValues: Map<string, bigint[]> = new Map();
    // Each position's market value at the end of each day, recomputed from its first stale day.
    let valueFrom = cachedValues === undefined ? 0 : reusable;
    let unrealized = 0n;
    for (const [symbol, own] of s.positions) {
      const marks = board.of(symbol);
      const cachedPosition = cachedValues?.bySymbol.get(symbol);
      const from = cachedPosition === undefined ? 0 : Math.min(reusable, board.reused(symbol));
      if (from < valueFrom) valueFrom = from;
      const value = cachedPosition ?? [];
      value.length = days.length;
      positionValues.set(symbol, value);
      const eod = own.endOfDay;
      let j = 0;
      let q = 0n;
      let carried = lastMarkBefore(marks, from);
      for (let i = from; i < days.length; i++) {
        const day = days[i] as string;
        while (j < eod.days.length && (eod.days[j] as string) <= day) q = eod.quantities[j++] as bigint;
        const mark = marks[i] ?? carried;
        carried = mark;
        value[i] = q !== 0n && mark !== undefined ? q * mark.price : 0n;
      }
      const latest = last >= 0 ? lastMarkBefore(marks, last + 1) : undefined;
      if (own.book.position !== 0n && latest !== undefined) {
        unrealized += own.book.position * latest.price - own.book.openCost();
      }
    }
    // Market value at the end of each day: the cached sum before the first stale day.
    const value = cachedValues?.total ?? [];
    value.length = days.length;
    for (let i = valueFrom; i < days.length; i++) value[i] = 0n;
    for (const position of positionValues.values()) {
      for (let i = valueFrom; i < days.length; i++) value[i] = (value[i] as bigint) + (position[i] as bigint);
    }
    values.set(name, { total: value, bySymbol: positionValues });
    byStrategy.set(name, unrealized);
    const series: TradingDay[] = [];
    const flows = s.flows.flows;
    let k = 0;
    let before = 0n;
    for (let i = start; i < days.length; i++) {
      const day = days[i] as string;
      let flow: DayFlow | undefined;
      if (k < flows.length && (flows[k] as DayFlow).day === day) flow = flows[k++];
      const v = value[i] as bigint;
      const pnl = v - before + (flow?.cash ?? 0n);
      before = v;
      const realized = flow?.realized ?? 0n;
      totalPnl[i] = (totalPnl[i] as bigint) + pnl;
      totalRealized[i] = (totalRealized[i] as bigint) + realized;
      series.push(day_(day, pnl, realized, equity[i] as number));
    }
    strategies.set(name, series);
  }

  let accountUnrealized = 0n;
  const marks = new Map<string, LatestMark>();
  for (const [symbol, sym] of acc.symbols) {
    const position = sym.book.position;
    let held = position !== 0n;
    for (const s of acc.strategies.values()) held ||= (s.positions.get(symbol)?.book.position ?? 0n) !== 0n;
    if (!held || last < 0) continue;
    const mark = board.mark(symbol, last);
    if (mark === undefined) continue; // held without a fill on or before the last day: cannot happen
    marks.set(symbol, { date: days[last] as string, price: mark.price, source: mark.source });
    if (position === 0n) continue;
    const u = position * mark.price - sym.book.openCost();
    bySymbol.set(symbol, u);
    accountUnrealized += u;
  }
  acc.seriesCache = { days, liveDay: live?.date, marks: board.resolvedMarks(), values };
  return {
    days,
    strategies,
    total: days.map((d, i) =>
      day_(d, totalPnl[i] as bigint, totalRealized[i] as bigint, equity[i] as number),
    ),
    unrealized: { account: accountUnrealized, byStrategy, bySymbol },
    marks,
    notes: board.fallbackNotes(),
  };
}

/** The last defined mark before index `end` (a day without one carries the previous one). */
function lastMarkBefore(marks: readonly (Mark | undefined)[], end: number): Mark | undefined {
  for (let i = end - 1; i >= 0; i--) {
    const mark = marks[i];
    if (mark !== undefined) return mark;
  }
  return undefined;
}

function day_(date: string, pnl: bigint, realized: bigint, equity: number): TradingDay {
  return { date, pnl, realized, equity, return: toFloat(pnl, MONEY_SCALE) / equity };
}

/**
 * Account equity at the previous close of each day: the last history close before it; today, the
 * broker's live `last_equity` when given. Before the first history day, that day's equity (the
 * nearest known); with no history at all, NaN.
 */
function previousCloses(
  days: readonly string[],
  history: readonly PortfolioHistoryPoint[],
  live: TradingSeriesInput['live'],
): number[] {
  const liveLast = live?.lastEquity === undefined ? Number.NaN : Number(live.lastEquity);
  let h = -1;
  return days.map((day) => {
    if (live !== undefined && day === live.date && Number.isFinite(liveLast)) return liveLast;
    while (h + 1 < history.length && (history[h + 1] as PortfolioHistoryPoint).date < day) h++;
    const point = history[h] ?? history[0];
    return point === undefined ? Number.NaN : Number(point.equity);
  });
}
