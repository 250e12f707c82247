import { abs, type Decimal, divideDecimal, mul, sign, sub, trimDecimal } from '@friren/contracts';
import type { Position } from './account.js';
import { format } from './decimal.js';
import type { PriceBook } from './prices.js';

/** Ratios (plpc, change_today) carry 16 decimals like Alpaca's, trailing zeros dropped. */
const RATIO_SCALE = 16;

function ratio(numerator: Decimal, denominator: Decimal): string {
  if (sign(denominator) === 0) return '0';
  return format(trimDecimal(divideDecimal(numerator, abs(denominator), RATIO_SCALE)));
}

/** One element of GET /v2/positions; every number is a decimal string, shorts have negative qty. */
export function positionJson(p: Position, prices: PriceBook): Record<string, string | boolean> {
  const price = prices.price(p.symbol);
  const lastday = prices.lastday(p.symbol);
  const marketValue = trimDecimal(mul(p.qty, price));
  const costBasis = trimDecimal(mul(p.qty, p.avgEntryPrice));
  const unrealized = sub(marketValue, costBasis);
  const lastdayValue = trimDecimal(mul(p.qty, lastday));
  const intraday = sub(marketValue, lastdayValue);
  const qty = format(p.qty);
  return {
    asset_id: p.assetId,
    symbol: p.symbol,
    exchange: p.exchange,
    asset_class: p.assetClass,
    asset_marginable: p.assetClass === 'us_equity',
    qty,
    avg_entry_price: format(p.avgEntryPrice),
    side: sign(p.qty) < 0 ? 'short' : 'long',
    market_value: format(marketValue),
    cost_basis: format(costBasis),
    unrealized_pl: format(unrealized),
    unrealized_plpc: ratio(unrealized, costBasis),
    unrealized_intraday_pl: format(intraday),
    unrealized_intraday_plpc: ratio(intraday, lastdayValue),
    current_price: format(price),
    lastday_price: format(lastday),
    change_today: ratio(sub(price, lastday), lastday),
    qty_available: qty,
  };
}

export function positionsJson(positions: Iterable<Position>, prices: PriceBook) {
  return [...positions]
    .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((p) => positionJson(p, prices));
}
