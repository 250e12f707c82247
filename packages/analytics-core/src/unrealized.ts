import type { AnalyticsAccumulator } from './accumulator.js';
import { formatFixed, formatMoney, parseFixed, QUANTITY_SCALE } from './fixed.js';
import type { LotState } from './lot-book.js';
import { type PriceMap, priceOf } from './types.js';

export interface UnrealizedPnl {
  /** Σ over priced open lots of quantity × price − cost (signed quantity, cost incl. opening fees). */
  readonly total: bigint;
  readonly bySymbol: ReadonlyMap<string, bigint>;
  /** Per strategy, of its own lots (Σ over strategies = `total` when every symbol is priced). */
  readonly byStrategy: ReadonlyMap<string, bigint>;
  /** Symbols with open lots but no price: left out of every figure above. */
  readonly missingPrices: readonly string[];
}

/** Unrealized P&L of the open lots at current prices, exact (money scale). */
export function unrealizedPnl(accumulator: AnalyticsAccumulator, prices: PriceMap): UnrealizedPnl {
  let total = 0n;
  const bySymbol = new Map<string, bigint>();
  const byStrategy = new Map<string, bigint>();
  const missingPrices: string[] = [];
  const priced = (symbol: string): bigint | undefined => {
    const raw = priceOf(prices, symbol);
    return raw === undefined ? undefined : parseFixed(raw, QUANTITY_SCALE);
  };
  for (const [symbol, { book }] of accumulator.symbols) {
    if (book.position === 0n) continue;
    const price = priced(symbol);
    if (price === undefined) {
      missingPrices.push(symbol);
      continue;
    }
    const u = book.position * price - book.openCost();
    bySymbol.set(symbol, u);
    total += u;
  }
  for (const [name, strategy] of accumulator.strategies) {
    let sum = 0n;
    for (const [symbol, { book }] of strategy.positions) {
      if (book.position === 0n) continue;
      const price = priced(symbol);
      if (price === undefined) {
        if (!missingPrices.includes(symbol)) missingPrices.push(symbol);
        continue;
      }
      sum += book.position * price - book.openCost();
    }
    if (sum !== 0n) byStrategy.set(name, sum);
  }
  return { total, bySymbol, byStrategy, missingPrices };
}

export interface OpenPosition {
  readonly symbol: string;
  /** Signed net quantity (negative: short). */
  readonly quantity: string;
  /** Signed cash paid for the open lots, fees included. */
  readonly cost_basis: string;
  readonly lots: readonly LotState[];
}

/** Every symbol with a non-zero position, with its lots (oldest first). */
export function openPositions(accumulator: AnalyticsAccumulator): OpenPosition[] {
  const out: OpenPosition[] = [];
  for (const [symbol, { book }] of accumulator.symbols) {
    if (book.position === 0n) continue;
    out.push({
      symbol,
      quantity: formatFixed(book.position, QUANTITY_SCALE),
      cost_basis: formatMoney(book.openCost()),
      lots: book.lotsToJSON(),
    });
  }
  return out;
}
