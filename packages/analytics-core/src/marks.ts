import type { AnalyticsAccumulator } from './accumulator.js';
import { parseFixed, QUANTITY_SCALE } from './fixed.js';
import { type PriceMap, priceOf } from './types.js';

/** Where a mark comes from: the broker's position price, or (where it has none) our last fill. */
export type MarkSource = 'broker' | 'last-fill';

export interface Mark {
  /** Scale 9. */
  readonly price: bigint;
  readonly source: MarkSource;
}

/** Broker marks by symbol, then New York day: the last position `current_price` seen that day. */
export type ClosingMarks = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Why a symbol was marked at its last fill instead of the broker's price, over which days. */
export interface MarkNote {
  readonly symbol: string;
  readonly reason: 'no broker mark' | 'bad broker mark';
  /** Days it applied to while the account held the symbol. */
  readonly days: number;
  readonly first: string;
  readonly last: string;
}

/** A broker price if it is a positive plain decimal (≤ 9 decimals), else why not. */
export function readPrice(raw: string | undefined): bigint | 'no broker mark' | 'bad broker mark' {
  if (raw === undefined) return 'no broker mark';
  try {
    const price = parseFixed(raw.trim(), QUANTITY_SCALE);
    return price > 0n ? price : 'bad broker mark';
  } catch {
    return 'bad broker mark';
  }
}

/**
 * Resolves a mark per (symbol, day) for the given days (ascending): the broker's mark of that day
 * — on `liveDay` the live positions' price first — else the last fill price on or before it. Never
 * throws: a missing or bad broker price falls back to the last fill, and is noted when the account
 * held the symbol that day (when it holds none the broker has no price to give, which is normal).
 * A symbol with no fill on or before a day has no mark that day (nobody can hold it yet).
 */
export class MarkBoard {
  private readonly bySymbol = new Map<string, (Mark | undefined)[]>();
  private readonly notes = new Map<
    string,
    { reason: MarkNote['reason']; days: number; first: string; last: string }
  >();

  constructor(
    private readonly acc: AnalyticsAccumulator,
    readonly days: readonly string[],
    private readonly closes: ClosingMarks | undefined,
    private readonly liveDay: string | undefined,
    private readonly livePrices: PriceMap | undefined,
  ) {}

  /** Marks of `symbol` indexed like `days`. */
  of(symbol: string): readonly (Mark | undefined)[] {
    let marks = this.bySymbol.get(symbol);
    if (marks === undefined) {
      marks = this.resolve(symbol);
      this.bySymbol.set(symbol, marks);
    }
    return marks;
  }

  mark(symbol: string, dayIndex: number): Mark | undefined {
    return this.of(symbol)[dayIndex];
  }

  /** Fallback notes, one per (symbol, reason). */
  fallbackNotes(): MarkNote[] {
    return [...this.notes].map(([key, n]) => ({ symbol: key.slice(0, key.lastIndexOf('\u0000')), ...n }));
  }

  private resolve(symbol: string): (Mark | undefined)[] {
    const sym = this.acc.symbols.get(symbol);
    const closes = this.closes?.get(symbol);
    const out: (Mark | undefined)[] = new Array(this.days.length);
    for (let i = 0; i < this.days.length; i++) {
      const day = this.days[i] as string;
      const recorded = readPrice(closes?.get(day));
      let broker = recorded;
      if (day === this.liveDay && this.livePrices !== undefined) {
        const live = readPrice(priceOf(this.livePrices, symbol));
        broker = typeof live === 'bigint' || typeof recorded !== 'bigint' ? live : recorded;
      }
      if (typeof broker === 'bigint') {
        out[i] = { price: broker, source: 'broker' };
        continue;
      }
      const fill = sym?.lastFill.onOrBefore(day);
      if (fill === undefined) continue;
      out[i] = { price: fill.price, source: 'last-fill' };
      if (broker === 'bad broker mark' || this.accountHolds(symbol, day)) this.note(symbol, broker, day);
    }
    return out;
  }

  /** The account's quantity at the end of `day` is the sum of the strategies' own. */
  private accountHolds(symbol: string, day: string): boolean {
    let q = 0n;
    for (const s of this.acc.strategies.values()) {
      const own = s.positions.get(symbol);
      if (own !== undefined) q += own.endOfDay.at(day);
    }
    return q !== 0n;
  }

  private note(symbol: string, reason: MarkNote['reason'], day: string): void {
    const key = `${symbol}\u0000${reason}`;
    const n = this.notes.get(key);
    if (n === undefined) this.notes.set(key, { reason, days: 1, first: day, last: day });
    else {
      n.days++;
      if (day < n.first) n.first = day;
      if (day > n.last) n.last = day;
    }
  }
}
