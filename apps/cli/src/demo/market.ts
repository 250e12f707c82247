import type { Random } from './random.js';

/** Starting quotes for symbols the simulator does not price yet (late-2025 levels). */
export const DEMO_START_PRICES: Readonly<Record<string, string>> = {
  AAPL: '195.40',
  MSFT: '421.35',
  NVDA: '182.50',
  AMZN: '228.30',
  SPY: '668.20',
};

export const DEMO_SYMBOLS = Object.keys(DEMO_START_PRICES);

const HISTORY = 60;

interface Quote {
  price: number;
  anchor: number;
  lastReturn: number;
  /** The simulated FinBERT score of the symbol's news flow, in [-1, 1]. */
  sentiment: number;
  history: number[];
}

/**
 * The demo's market: per symbol a price with a little momentum, a pull back to its starting level
 * (so a long run stays realistic) and a news-sentiment process with occasional shocks that nudges
 * returns. The model runs on floats because it only invents quotes; every price it publishes is
 * rounded to a cent string, and the money the ledger records is the broker's fill price.
 */
export class DemoMarket {
  readonly #quotes = new Map<string, Quote>();

  constructor(
    start: Readonly<Record<string, string>>,
    private readonly random: Random,
  ) {
    for (const [symbol, text] of Object.entries(start)) {
      const price = Number(text);
      this.#quotes.set(symbol, { price, anchor: price, lastReturn: 0, sentiment: 0, history: [price] });
    }
  }

  get symbols(): string[] {
    return [...this.#quotes.keys()];
  }

  /** One second of market: new prices, as the cent strings to publish to the broker. */
  step(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [symbol, q] of this.#quotes) {
      q.sentiment = clamp(0.97 * q.sentiment + 0.06 * this.random.normal(), -1, 1);
      if (this.random.next() < 0.01)
        q.sentiment = (this.random.next() < 0.5 ? -1 : 1) * (0.6 + 0.35 * this.random.next());
      const ret =
        0.1 * q.lastReturn +
        0.0004 * this.random.normal() +
        0.00015 * q.sentiment +
        0.002 * Math.log(q.anchor / q.price);
      q.lastReturn = ret;
      q.price = Math.max(0.01, Math.round(q.price * Math.exp(ret) * 100) / 100);
      q.history.push(q.price);
      if (q.history.length > HISTORY) q.history.shift();
      out[symbol] = q.price.toFixed(2);
    }
    return out;
  }

  price(symbol: string): number {
    return this.quote(symbol).price;
  }

  sentiment(symbol: string): number {
    return this.quote(symbol).sentiment;
  }

  /** Recent prices, oldest first (at most 60). */
  history(symbol: string): readonly number[] {
    return this.quote(symbol).history;
  }

  private quote(symbol: string): Quote {
    const q = this.#quotes.get(symbol);
    if (q === undefined) throw new RangeError(`the demo market does not trade ${symbol}`);
    return q;
  }
}

export function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
