import { SIGNED_DECIMAL_PATTERN } from '@friren/contracts';
import { z } from 'zod';
import { toLedgerDecimal } from './decimal-number.js';

const price = z.union([
  z.string().regex(SIGNED_DECIMAL_PATTERN),
  z.number().refine(Number.isFinite).transform(toLedgerDecimal),
]);

/** The fields analytics needs of a broker position; the rest are kept by the poller, ignored here. */
const positionSchema = z.looseObject({
  symbol: z.string().min(1),
  current_price: price.nullish(),
});

/**
 * Current prices from `P:account:A:positions` (a JSON array of Alpaca positions), by symbol. Alpaca
 * names crypto without the slash (`BTCUSD`) where trades use `BTC/USD`: `priceFor` tries both.
 */
export function parsePositionPrices(json: string): Map<string, string> {
  const positions = z.array(positionSchema).parse(JSON.parse(json) as unknown);
  const prices = new Map<string, string>();
  for (const p of positions) {
    if (p.current_price != null && !p.current_price.startsWith('-')) {
      prices.set(p.symbol, atMostNineDecimals(p.current_price));
    }
  }
  return prices;
}

/** The prices for the given ledger symbols (a slash-less broker symbol matches `BTC/USD`). */
export function pricesForSymbols(
  prices: ReadonlyMap<string, string>,
  symbols: Iterable<string>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const symbol of symbols) {
    const p =
      prices.get(symbol) ?? (symbol.includes('/') ? prices.get(symbol.replaceAll('/', '')) : undefined);
    if (p !== undefined) out.set(symbol, p);
  }
  return out;
}

/**
 * The fold values lots at 9 decimals (the ledger's scale); a mark price with more (tiny crypto
 * prices) is cut there rather than failing the whole recompute.
 */
function atMostNineDecimals(value: string): string {
  const dot = value.indexOf('.');
  return dot === -1 || value.length - dot - 1 <= 9 ? value : value.slice(0, dot + 10);
}
