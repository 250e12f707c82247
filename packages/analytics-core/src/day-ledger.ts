import { formatFixed, formatMoney, parseFixed, parseMoney, QUANTITY_SCALE } from './fixed.js';

/** Index of the first entry ≥ `day` in a sorted array (its length when none). */
export function lowerBound(days: readonly string[], day: string): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as string) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A signed quantity at the end of each day it changed (scale 9), days ascending. Appending to the
 * last day is O(1); a fill of an earlier day (out of ledger order) is inserted and carried into
 * every later day, so the series is right whatever the order of the fold.
 */
export class EndOfDayQuantity {
  readonly days: string[] = [];
  readonly quantities: bigint[] = [];

  /**
   * Records a fill of `day` (a buy or a sell of `quantity`) that changed the quantity to `now`: on
   * the latest day (the usual case) `now` is stored as is, with no arithmetic and no allocation.
   */
  record(day: string, now: bigint, buy: boolean, quantity: bigint): void {
    const days = this.days;
    const last = days.length - 1;
    if (last >= 0 && days[last] === day) this.quantities[last] = now;
    else if (last < 0 || (days[last] as string) < day) {
      days.push(day);
      this.quantities.push(now);
    } else this.add(day, buy ? quantity : -quantity);
  }

  add(day: string, delta: bigint): void {
    const days = this.days;
    const q = this.quantities;
    const last = days.length - 1;
    if (last >= 0 && days[last] === day) {
      q[last] = (q[last] as bigint) + delta;
      return;
    }
    if (last < 0 || (days[last] as string) < day) {
      days.push(day);
      q.push((last < 0 ? 0n : (q[last] as bigint)) + delta);
      return;
    }
    let i = lowerBound(days, day);
    if (days[i] !== day) {
      days.splice(i, 0, day);
      q.splice(i, 0, i === 0 ? 0n : (q[i - 1] as bigint));
    }
    for (; i < days.length; i++) q[i] = (q[i] as bigint) + delta;
  }

  /** Quantity at the end of `day` (the latest change on or before it). */
  at(day: string): bigint {
    const i = lowerBound(this.days, day);
    if (this.days[i] === day) return this.quantities[i] as bigint;
    return i === 0 ? 0n : (this.quantities[i - 1] as bigint);
  }

  toJSON(): [string, string][] {
    return this.days.map((d, i) => [d, formatFixed(this.quantities[i] as bigint, QUANTITY_SCALE)]);
  }

  static fromJSON(entries: readonly (readonly [string, string])[]): EndOfDayQuantity {
    const out = new EndOfDayQuantity();
    for (const [day, q] of entries) {
      out.days.push(day);
      out.quantities.push(parseFixed(q, QUANTITY_SCALE));
    }
    return out;
  }
}

/** One day of a strategy's fills: realized P&L on its own lots and net cash, both money scale. */
export class DayFlow {
  constructor(
    readonly day: string,
    /** Realized P&L of the day's closing fills (net of fees). */
    public realized = 0n,
    /** Cash in − cash out: sells − buys − fees. */
    public cash = 0n,
    /** Closing fills that day. */
    public closes = 0,
  ) {}
}

/** Day flows ascending by day, with the O(1) path for the current (last) day. */
export class DayFlows {
  readonly flows: DayFlow[] = [];

  of(day: string): DayFlow {
    const flows = this.flows;
    const last = flows[flows.length - 1];
    if (last !== undefined && last.day === day) return last;
    if (last === undefined || last.day < day) {
      const flow = new DayFlow(day);
      flows.push(flow);
      return flow;
    }
    const i = lowerBound(
      flows.map((f) => f.day),
      day,
    );
    const found = flows[i];
    if (found !== undefined && found.day === day) return found;
    const flow = new DayFlow(day);
    flows.splice(i, 0, flow);
    return flow;
  }

  get first(): string | undefined {
    return this.flows[0]?.day;
  }

  toJSON(): [string, string, string, number][] {
    return this.flows.map((f) => [f.day, formatMoney(f.realized), formatMoney(f.cash), f.closes]);
  }

  static fromJSON(entries: readonly (readonly [string, string, string, number])[]): DayFlows {
    const out = new DayFlows();
    for (const [day, realized, cash, closes] of entries) {
      out.flows.push(new DayFlow(day, parseMoney(realized), parseMoney(cash), closes));
    }
    return out;
  }
}

/** The last fill price of each day (scale 9), days ascending: the mark of last resort. */
export class LastFillPrice {
  readonly days: string[] = [];
  readonly prices: bigint[] = [];

  set(day: string, price: bigint): void {
    const days = this.days;
    const last = days.length - 1;
    if (last >= 0 && days[last] === day) {
      this.prices[last] = price;
      return;
    }
    if (last < 0 || (days[last] as string) < day) {
      days.push(day);
      this.prices.push(price);
      return;
    }
    const i = lowerBound(days, day);
    if (days[i] === day) this.prices[i] = price;
    else {
      days.splice(i, 0, day);
      this.prices.splice(i, 0, price);
    }
  }

  /** The last fill price on or before `day`, with its day; undefined before the first fill. */
  onOrBefore(day: string): { readonly day: string; readonly price: bigint } | undefined {
    let i = lowerBound(this.days, day);
    if (this.days[i] !== day) i--;
    return i < 0 ? undefined : { day: this.days[i] as string, price: this.prices[i] as bigint };
  }

  toJSON(): [string, string][] {
    return this.days.map((d, i) => [d, formatFixed(this.prices[i] as bigint, QUANTITY_SCALE)]);
  }

  static fromJSON(entries: readonly (readonly [string, string])[]): LastFillPrice {
    const out = new LastFillPrice();
    for (const [day, p] of entries) {
      out.days.push(day);
      out.prices.push(parseFixed(p, QUANTITY_SCALE));
    }
    return out;
  }
}
