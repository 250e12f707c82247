import { add, type Decimal, divideDecimal, mul, roundDecimal, sign, trimDecimal } from '@friren/contracts';
import { dec, format } from './decimal.js';
import { stableUint32 } from './ids.js';

const HUNDRED = dec('100');

/**
 * The simulated market: one price per symbol, shared by every account. `lastday` is the price a
 * symbol had when the simulator first saw it (the previous close), so drifts show up as change_today.
 */
export class PriceBook {
  readonly #current = new Map<string, Decimal>();
  readonly #lastday = new Map<string, Decimal>();
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /** Registers a symbol at `price` unless it already has one. */
  ensure(symbol: string, price?: Decimal): void {
    if (this.#current.has(symbol)) return;
    const start = price ?? this.#synthetic(symbol);
    this.#current.set(symbol, start);
    this.#lastday.set(symbol, start);
  }

  price(symbol: string): Decimal {
    this.ensure(symbol);
    return this.#current.get(symbol)!;
  }

  lastday(symbol: string): Decimal {
    this.ensure(symbol);
    return this.#lastday.get(symbol)!;
  }

  set(symbol: string, price: Decimal): void {
    if (sign(price) <= 0) throw new RangeError(`price of ${symbol} must be positive`);
    this.ensure(symbol, price);
    this.#current.set(symbol, price);
  }

  /** Moves every listed symbol (default: all) by `pct` percent, rounded to 4 decimals. */
  drift(pct: Decimal, symbols?: readonly string[]): void {
    const factor = add(HUNDRED, pct);
    if (sign(factor) <= 0) throw new RangeError('a drift must leave prices positive (pct > -100)');
    for (const symbol of symbols ?? [...this.#current.keys()]) {
      const moved = trimDecimal(roundDecimal(divideDecimal(mul(this.price(symbol), factor), HUNDRED, 8), 4));
      this.set(symbol, sign(moved) > 0 ? moved : dec('0.0001'));
    }
  }

  snapshot(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [symbol, price] of this.#current) out[symbol] = format(price);
    return out;
  }

  /** A stable made-up price in [20, 500) for symbols nobody seeded, so any order can fill. */
  #synthetic(symbol: string): Decimal {
    return { units: 2000n + BigInt(stableUint32('price', this.#seed, symbol) % 48000), scale: 2 };
  }
}
