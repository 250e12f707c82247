import type { AnalyticsTrade } from './types.js';

export interface SyntheticOptions {
  /** Default 50. */
  readonly symbols?: number;
  /** Default 5. */
  readonly strategies?: number;
  /** PRNG seed; the same seed gives the same trades. Default 1. */
  readonly seed?: number;
  /** Fills per UTC day. Default 4000. */
  readonly perDay?: number;
  readonly account?: string;
}

/**
 * Deterministic random fills for benchmarks and tests, shaped like ledger rows (decimals with nine
 * fractional digits, as MySQL DECIMAL(·, 9) returns them): random sides, so positions open, add,
 * close partly and flip; prices follow a random walk per symbol; a tenth of fills pay a fee.
 */
export function syntheticTrades(count: number, options: SyntheticOptions = {}): AnalyticsTrade[] {
  const symbols = Array.from({ length: options.symbols ?? 50 }, (_, i) => `SYM${i}`);
  const strategies = Array.from({ length: options.strategies ?? 5 }, (_, i) => `strategy-${i}`);
  const perDay = options.perDay ?? 4000;
  const account = options.account ?? 'default';
  const next = mulberry32(options.seed ?? 1);
  const cents = symbols.map(() => 5000 + Math.floor(next() * 50000));
  const start = Date.UTC(2024, 0, 2, 14, 30);
  const spacing = Math.floor((6.5 * 3600 * 1000) / perDay);
  const out: AnalyticsTrade[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const s = Math.floor(next() * symbols.length);
    const price = Math.max(100, (cents[s] as number) + Math.round((next() - 0.5) * 200));
    cents[s] = price;
    const day = Math.floor(i / perDay);
    const quantity = 1 + Math.floor(next() * 100);
    out[i] = {
      id: String(i + 1),
      trade_id: `t${i}`,
      account,
      symbol: symbols[s] as string,
      side: next() < 0.5 ? 'buy' : 'sell',
      quantity: `${quantity}.${next() < 0.2 ? '500000000' : '000000000'}`,
      price: `${Math.floor(price / 100)}.${String(price % 100).padStart(2, '0')}0000000`,
      fees: next() < 0.1 ? '0.010000000' : '0.000000000',
      timestamp: new Date(start + day * 86_400_000 + (i % perDay) * spacing).toISOString(),
      strategy_used: strategies[Math.floor(next() * strategies.length)] as string,
      finbert_sentiment: next() * 2 - 1,
      confidence_score: next(),
    };
  }
  return out;
}

/** A small, fast, seedable PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
