import { add, type Decimal, max, mul, neg, sign, sub, trimDecimal, ZERO } from '@friren/contracts';
import type { SimAccount } from './account.js';
import { dec } from './decimal.js';
import type { PriceBook } from './prices.js';

export type Multiplier = '1' | '2' | '4';

export interface Balances {
  multiplier: Multiplier;
  longMarketValue: Decimal;
  /** Negative (or zero): shorts are liabilities. */
  shortMarketValue: Decimal;
  equity: Decimal;
  initialMargin: Decimal;
  maintenanceMargin: Decimal;
  regtBuyingPower: Decimal;
  daytradingBuyingPower: Decimal;
  nonMarginableBuyingPower: Decimal;
  buyingPower: Decimal;
}

const INITIAL_MARGIN_RATE = dec('0.5');
const MAINTENANCE_MARGIN_RATE = dec('0.3');
const TWO = dec('2');
const FOUR = dec('4');

export function multiplierOf(account: SimAccount): Multiplier {
  const m = account.field('multiplier');
  return m === '1' || m === '4' ? m : '2';
}

/**
 * Reg T arithmetic in the spirit of Alpaca's documentation: equity = cash + long + short market value;
 * margin-account buying power = max(equity − initial margin, 0) × 2 (× 4 intraday for multiplier "4",
 * against maintenance margin); a cash account ("1") can spend its cash.
 */
export function computeBalances(account: SimAccount, prices: PriceBook): Balances {
  let longMarketValue: Decimal = ZERO;
  let shortMarketValue: Decimal = ZERO;
  for (const p of account.positions.values()) {
    const value = mul(p.qty, prices.price(p.symbol));
    if (sign(value) >= 0) longMarketValue = add(longMarketValue, value);
    else shortMarketValue = add(shortMarketValue, value);
  }
  longMarketValue = trimDecimal(longMarketValue);
  shortMarketValue = trimDecimal(shortMarketValue);
  const gross = sub(longMarketValue, shortMarketValue);
  const equity = add(account.cash, add(longMarketValue, shortMarketValue));
  const initialMargin = trimDecimal(mul(gross, INITIAL_MARGIN_RATE));
  const maintenanceMargin = trimDecimal(mul(gross, MAINTENANCE_MARGIN_RATE));
  const multiplier = multiplierOf(account);
  const excess = max(sub(equity, initialMargin), ZERO);
  const cashAvailable = max(account.cash, ZERO);
  const regtBuyingPower = multiplier === '1' ? cashAvailable : trimDecimal(mul(excess, TWO));
  const daytradingBuyingPower =
    multiplier === '4' ? trimDecimal(mul(max(sub(equity, maintenanceMargin), ZERO), FOUR)) : ZERO;
  return {
    multiplier,
    longMarketValue,
    shortMarketValue,
    equity,
    initialMargin,
    maintenanceMargin,
    regtBuyingPower,
    daytradingBuyingPower,
    nonMarginableBuyingPower: multiplier === '1' ? cashAvailable : trimDecimal(excess),
    buyingPower: multiplier === '4' ? daytradingBuyingPower : regtBuyingPower,
  };
}

/** Absolute gross position value, used by the account's position_market_value. */
export function grossPositionValue(b: Balances): Decimal {
  return add(b.longMarketValue, neg(b.shortMarketValue));
}
