import { clamp, type DemoMarket } from './market.js';
import type { Random } from './random.js';
import type { DemoStrategy } from './strategies.js';

export interface DemoLimits {
  /** Most a strategy holds in one symbol, in dollars at the current price. */
  readonly maxPositionValue: number;
  /** A buy's size in dollars is minLot + (maxLot − minLot) × confidence. */
  readonly minLot: number;
  readonly maxLot: number;
}

export const DEFAULT_DEMO_LIMITS: DemoLimits = { maxPositionValue: 8_000, minLot: 500, maxLot: 3_000 };

export interface Decision {
  readonly strategy: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  /** Whole shares. */
  readonly qty: number;
  readonly signal: number;
  /** In [0, 1], 3 places. */
  readonly confidence: number;
  /** The symbol's news sentiment in [-1, 1], 4 places. */
  readonly sentiment: number;
}

/**
 * The strategy's best action now, or null when it has none worth taking. Buys need a positive
 * signal and room under the position cap; sells close what the strategy itself holds (all of it on
 * a strong sell signal or at the cap, else half), with a small bias so positions turn over and
 * P&L gets realized. The demo never shorts, so every sell in the ledger closes an earlier buy.
 */
export function decide(
  strategy: DemoStrategy,
  market: DemoMarket,
  held: (symbol: string) => number,
  random: Random,
  limits: DemoLimits = DEFAULT_DEMO_LIMITS,
): Decision | null {
  let best: { symbol: string; side: 'buy' | 'sell'; score: number; signal: number } | null = null;
  for (const symbol of strategy.symbols) {
    const signal = strategy.signal(market, symbol);
    const price = market.price(symbol);
    const value = held(symbol) * price;
    const atCap = value + limits.minLot > limits.maxPositionValue;
    const candidates: { side: 'buy' | 'sell'; score: number }[] = [];
    if (!atCap && signal > 0) candidates.push({ side: 'buy', score: signal });
    if (held(symbol) > 0) candidates.push({ side: 'sell', score: -signal + 0.2 + (atCap ? 0.5 : 0) });
    for (const c of candidates) {
      // A little noise, so equal signals do not always pick the same symbol.
      const score = c.score + 0.05 * random.normal();
      if (score > 0 && (best === null || score > best.score)) best = { symbol, ...c, score, signal };
    }
  }
  if (best === null) return null;

  const { symbol, side, signal } = best;
  const price = market.price(symbol);
  const confidence = round(clamp(0.35 + 0.6 * Math.abs(signal) + 0.05 * random.normal(), 0.01, 0.99), 3);
  const sentiment = round(clamp(market.sentiment(symbol), -1, 1), 4);
  const owned = held(symbol);
  let qty: number;
  if (side === 'buy') {
    const room = limits.maxPositionValue - owned * price;
    const lot = Math.min(room, limits.minLot + (limits.maxLot - limits.minLot) * confidence);
    qty = Math.floor(lot / price);
    if (qty < 1) return null;
  } else {
    const strong = signal < -0.4 || owned * price + limits.minLot > limits.maxPositionValue;
    qty = strong ? owned : Math.ceil(owned / 2);
  }
  return { strategy: strategy.name, symbol, side, qty, signal: round(signal, 4), confidence, sentiment };
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}
