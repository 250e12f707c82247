import type { SimAccount } from './account.js';
import { computeBalances, grossPositionValue } from './balances.js';
import { format } from './decimal.js';
import type { PriceBook } from './prices.js';
import type { JsonValue } from './types.js';

/**
 * GET /v2/account, in Alpaca's field order. Money is always a string. Overrides set by tests win and
 * are emitted verbatim; fields only an override names are appended.
 */
export function accountJson(
  account: SimAccount,
  prices: PriceBook,
  includeRemovedPdtFields: boolean,
): Record<string, JsonValue> {
  const b = computeBalances(account, prices);
  const f = (name: string): JsonValue => account.base[name] ?? null;
  const pdt = includeRemovedPdtFields;
  const dtbp = format(b.daytradingBuyingPower);
  const computed: Record<string, JsonValue> = {
    id: f('id'),
    admin_configurations: {},
    user_configurations: null,
    account_number: f('account_number'),
    status: f('status'),
    crypto_status: f('crypto_status'),
    options_approved_level: f('options_approved_level'),
    options_trading_level: f('options_trading_level'),
    currency: f('currency'),
    buying_power: format(b.buyingPower),
    regt_buying_power: format(b.regtBuyingPower),
    ...(pdt ? { daytrading_buying_power: dtbp } : {}),
    effective_buying_power: format(b.buyingPower),
    non_marginable_buying_power: format(b.nonMarginableBuyingPower),
    options_buying_power: format(b.nonMarginableBuyingPower),
    ...(pdt ? { bod_dtbp: dtbp } : {}),
    cash: format(account.cash),
    accrued_fees: f('accrued_fees'),
    portfolio_value: format(b.equity),
    ...(pdt ? { pattern_day_trader: false } : {}),
    trading_blocked: f('trading_blocked'),
    transfers_blocked: f('transfers_blocked'),
    account_blocked: f('account_blocked'),
    created_at: f('created_at'),
    trade_suspended_by_user: f('trade_suspended_by_user'),
    multiplier: b.multiplier,
    shorting_enabled: f('shorting_enabled'),
    equity: format(b.equity),
    last_equity: format(account.lastEquity),
    long_market_value: format(b.longMarketValue),
    short_market_value: format(b.shortMarketValue),
    position_market_value: format(grossPositionValue(b)),
    initial_margin: format(b.initialMargin),
    maintenance_margin: format(b.maintenanceMargin),
    last_maintenance_margin: f('last_maintenance_margin'),
    sma: f('sma'),
    ...(pdt ? { daytrade_count: 0 } : {}),
    balance_asof: f('balance_asof'),
    crypto_tier: f('crypto_tier'),
    intraday_adjustments: f('intraday_adjustments'),
    pending_reg_taf_fees: f('pending_reg_taf_fees'),
  };
  // Assigning over existing keys keeps Alpaca's order; new keys go last.
  for (const [name, value] of account.overrides) computed[name] = value;
  return computed;
}
