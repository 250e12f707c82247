import type { AnalyticsAccumulator } from './accumulator.js';
import { formatFixed, formatMoney, parseFixed, QUANTITY_SCALE } from './fixed.js';
import type { LotState } from './lot-book.js';
import { type PriceMap, priceOf } from './types.js';

export interface UnrealizedPnl {
  /** Σ over priced open lots of quantity × price − cost (signed quantity, cost incl. opening fees). */
  readonly total: bigint;
  readonly bySymbol: ReadonlyMap<string, bigint>;
  /** By the strategy of each lot's opening fill: an open lot has no closing strategy yet. */
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
  for (const [symbol, { book }] of accumulator.symbols) {
    if (book.position === 0n) continue;
    const raw = priceOf(prices, symbol);
    if (raw === undefined) {
      missingPrices.push(symbol);
      continue;
    }
    const price = parseFixed(raw, QUANTITY_SCALE);
    const signedPrice = book.position < 0n ? -price : price;
    let symbolTotal = 0n;
    for (const lot of book.openLots()) {
      const u = lot.quantity * signedPrice - lot.cost;
      symbolTotal += u;
      byStrategy.set(lot.strategy, (byStrategy.get(lot.strategy) ?? 0n) + u);
    }
    bySymbol.set(symbol, symbolTotal);
    total += symbolTotal;
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
