import type { AnalyticsAccumulator } from './accumulator.js';
import type { EndOfDayQuantity, LastFillPrice } from './day-ledger.js';
import { parseFixed, QUANTITY_SCALE } from './fixed.js';
import type { CachedMarks } from './series-cache.js';
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
  private readonly bySymbol = new Map<string, CachedMarks>();
  private readonly reusedBySymbol = new Map<string, number>();
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
    /** The previous summary's marks, and how many leading days of `days` it still holds. */
    private readonly cache?: { readonly marks: Map<string, CachedMarks>; readonly reusable: number },
  ) {}

  /** Marks of `symbol` indexed like `days`. */
  of(symbol: string): readonly (Mark | undefined)[] {
    return this.resolved(symbol).marks;
  }

  /** How many leading days of `symbol`'s marks were reused from the cache (unchanged since). */
  reused(symbol: string): number {
    this.resolved(symbol);
    return this.reusedBySymbol.get(symbol) ?? 0;
  }

  mark(symbol: string, dayIndex: number): Mark | undefined {
    return this.of(symbol)[dayIndex];
  }

  /** Fallback notes, one per (symbol, reason). */
  fallbackNotes(): MarkNote[] {
    return [...this.notes].map(([key, n]) => ({ symbol: key.slice(0, key.lastIndexOf('\u0000')), ...n }));
  }

  /** Every symbol's resolved marks, to cache for the next summary. */
  resolvedMarks(): Map<string, CachedMarks> {
    return this.bySymbol;
  }

  private resolved(symbol: string): CachedMarks {
    let marks = this.bySymbol.get(symbol);
    if (marks === undefined) {
      marks = this.resolve(symbol);
      this.bySymbol.set(symbol, marks);
    }
    return marks;
  }

  /**
   * One pass over the days (ascending) from the first one the cache does not hold: the last fill
   * and the account's quantity are followed with cursors instead of a search per day, a last-fill
   * mark is shared by the days it covers, and the notes are counted per symbol before they are
   * keyed. A cached day is reused only while its recorded broker mark is the one it was resolved
   * from.
   */
  private resolve(symbol: string): CachedMarks {
    const days = this.days;
    const fills = this.acc.symbols.get(symbol)?.lastFill;
    const fillDays = fills?.days ?? [];
    const closes = this.closes?.get(symbol);
    const cached = this.cache?.marks.get(symbol);
    let from = 0;
    if (cached !== undefined) {
      const max = Math.min(this.cache?.reusable ?? 0, cached.marks.length);
      while (from < max && closes?.get(days[from] as string) === cached.closes[from]) from++;
    }
    const out = cached?.marks ?? [];
    const recordedOut = cached?.closes ?? [];
    const codes = cached?.notes ?? [];
    out.length = days.length;
    recordedOut.length = days.length;
    codes.length = days.length;
    this.reusedBySymbol.set(symbol, from);
    const holdings = new AccountQuantity(this.acc, symbol);
    let f = -1;
    let fillMark: Mark | undefined;
    for (let i = from; i < days.length; i++) {
      const day = days[i] as string;
      const raw = closes?.get(day);
      recordedOut[i] = raw;
      codes[i] = 0;
      out[i] = undefined;
      const recorded = readPrice(raw);
      let broker = recorded;
      if (day === this.liveDay && this.livePrices !== undefined) {
        const live = readPrice(priceOf(this.livePrices, symbol));
        broker = typeof live === 'bigint' || typeof recorded !== 'bigint' ? live : recorded;
      }
      while (f + 1 < fillDays.length && (fillDays[f + 1] as string) <= day) {
        f++;
        fillMark = undefined;
      }
      if (typeof broker === 'bigint') {
        out[i] = { price: broker, source: 'broker' };
        continue;
      }
      if (f < 0) continue;
      fillMark ??= { price: (fills as LastFillPrice).prices[f] as bigint, source: 'last-fill' };
      out[i] = fillMark;
      if (broker === 'bad broker mark' || holdings.holdsAt(day))
        codes[i] = broker === 'bad broker mark' ? 2 : 1;
    }
    const notes = new Map<MarkNote['reason'], { days: number; first: string; last: string }>();
    for (let i = 0; i < days.length; i++) {
      const code = codes[i];
      if (code === 0) continue;
      const reason: MarkNote['reason'] = code === 2 ? 'bad broker mark' : 'no broker mark';
      const day = days[i] as string;
      const n = notes.get(reason);
      if (n === undefined) notes.set(reason, { days: 1, first: day, last: day });
      else {
        n.days++;
        n.last = day;
      }
    }
    for (const [reason, n] of notes) this.note(symbol, reason, n);
    return { marks: out, closes: recordedOut, notes: codes };
  }

  private note(
    symbol: string,
    reason: MarkNote['reason'],
    add: { days: number; first: string; last: string },
  ): void {
    const key = `${symbol}\u0000${reason}`;
    const n = this.notes.get(key);
    if (n === undefined) this.notes.set(key, { reason, ...add });
    else {
      n.days += add.days;
      if (add.first < n.first) n.first = add.first;
      if (add.last > n.last) n.last = add.last;
    }
  }
}

/**
 * The account's quantity of one symbol at the end of each day, asked for days in ascending order:
 * the sum of the strategies' own end-of-day quantities, each followed with a cursor.
 */
class AccountQuantity {
  private readonly series: EndOfDayQuantity[] = [];
  private readonly cursors: number[] = [];
  private readonly quantities: bigint[] = [];

  constructor(acc: AnalyticsAccumulator, symbol: string) {
    for (const s of acc.strategies.values()) {
      const own = s.positions.get(symbol);
      if (own === undefined) continue;
      this.series.push(own.endOfDay);
      this.cursors.push(0);
      this.quantities.push(0n);
    }
  }

  /** Whether the account held any of the symbol at the end of `day` (≥ every day asked before). */
  holdsAt(day: string): boolean {
    let total = 0n;
    for (let k = 0; k < this.series.length; k++) {
      const eod = this.series[k] as EndOfDayQuantity;
      let j = this.cursors[k] as number;
      let q = this.quantities[k] as bigint;
      while (j < eod.days.length && (eod.days[j] as string) <= day) q = eod.quantities[j++] as bigint;
      this.cursors[k] = j;
      this.quantities[k] = q;
      total += q;
    }
    return total !== 0n;
  }
}
