import { randomUUID } from 'node:crypto';
import {
  abs,
  add,
  cmp,
  type Decimal,
  divideDecimal,
  max,
  mul,
  neg,
  sign,
  sub,
  trimDecimal,
  ZERO,
} from '@friren/contracts';
import type { FillActivity, OrderJson, SimAccount } from './account.js';
import { assetFor } from './assets.js';
import { computeBalances } from './balances.js';
import { format } from './decimal.js';
import { forbidden, insufficientBuyingPower, unprocessable } from './errors.js';
import { activityId } from './ids.js';
import type { PriceBook } from './prices.js';
import type { OrderRequest } from './schemas.js';

/** Fractional quantities carry at most 9 decimals, as Alpaca's do. */
const QTY_SCALE = 9;
/** A running average entry price is rounded here (a division rarely ends). */
const AVG_PRICE_SCALE = 12;

export interface OrderContext {
  prices: PriceBook;
  nowMs: number;
  nextSeq: () => number;
}

/**
 * POST /v2/orders. A market order (or a marketable limit) fills at once, whole, at the simulated
 * price: cash and the position move by exactly qty × price and a FILL activity is recorded. A limit
 * order away from the market is accepted as "new" and rests; the simulator never fills it later.
 */
export function submitOrder(account: SimAccount, req: OrderRequest, ctx: OrderContext): OrderJson {
  if (
    account.flag('trading_blocked') ||
    account.flag('account_blocked') ||
    account.flag('trade_suspended_by_user')
  ) {
    throw forbidden('account is not authorized to trade');
  }
  if (req.client_order_id !== undefined && account.clientOrderIds.has(req.client_order_id)) {
    throw unprocessable('client_order_id must be unique');
  }
  const price = ctx.prices.price(req.symbol);
  const qty = req.qty ?? trimDecimal(divideDecimal(req.notional ?? ZERO, price, QTY_SCALE, 'truncate'));
  if (sign(qty) <= 0) throw unprocessable('notional is too small for one unit fraction');
  const marketable =
    req.type === 'market' ||
    (req.side === 'buy'
      ? cmp(req.limit_price ?? ZERO, price) >= 0
      : cmp(req.limit_price ?? ZERO, price) <= 0);
  const held = account.positions.get(req.symbol)?.qty ?? ZERO;
  checkAffordable(account, req, qty, held, marketable ? price : (req.limit_price ?? price), ctx.prices);

  const at = new Date(ctx.nowMs).toISOString();
  const id = randomUUID();
  const clientOrderId = req.client_order_id ?? randomUUID();
  account.clientOrderIds.add(clientOrderId);
  const asset = assetFor(req.symbol);
  const order: OrderJson = {
    id,
    client_order_id: clientOrderId,
    created_at: at,
    updated_at: at,
    submitted_at: at,
    filled_at: marketable ? at : null,
    expired_at: null,
    canceled_at: null,
    failed_at: null,
    replaced_at: null,
    replaced_by: null,
    replaces: null,
    asset_id: asset.assetId,
    symbol: req.symbol,
    asset_class: asset.assetClass,
    notional: req.notional !== undefined ? format(req.notional) : null,
    qty: req.qty !== undefined ? format(req.qty) : null,
    filled_qty: marketable ? format(qty) : '0',
    filled_avg_price: marketable ? format(price) : null,
    order_class: '',
    order_type: req.type,
    type: req.type,
    side: req.side,
    position_intent: positionIntent(req.side, held),
    time_in_force: req.time_in_force,
    limit_price: req.limit_price !== undefined ? format(req.limit_price) : null,
    stop_price: null,
    status: marketable ? 'filled' : 'new',
    extended_hours: req.extended_hours ?? false,
    legs: null,
    trail_percent: null,
    trail_price: null,
    hwm: null,
    subtag: null,
    source: null,
    expires_at: null,
  };
  account.orders.push(order);
  if (marketable) {
    const side = req.side === 'sell' && sign(held) <= 0 ? 'sell_short' : req.side;
    applyFill(account, req.symbol, req.side === 'buy' ? qty : neg(qty), price);
    account.activities.push(fillActivity(order, side, qty, price, ctx));
  }
  return order;
}

/**
 * Closing part of an order is always allowed; the opening part must fit the buying power, and an
 * opening sale (a short) needs shorting enabled, as Alpaca's rejections describe.
 */
function checkAffordable(
  account: SimAccount,
  req: OrderRequest,
  qty: Decimal,
  held: Decimal,
  refPrice: Decimal,
  prices: PriceBook,
): void {
  const covering = req.side === 'buy' ? max(neg(held), ZERO) : max(held, ZERO);
  const opening = max(sub(qty, covering), ZERO);
  if (sign(opening) === 0) return;
  if (req.side === 'sell' && !account.flag('shorting_enabled')) {
    throw forbidden(
      `insufficient qty available for order (requested: ${format(qty)}, available: ${format(covering)})`,
    );
  }
  const balances = computeBalances(account, prices);
  if (cmp(mul(opening, refPrice), balances.buyingPower) > 0) throw insufficientBuyingPower();
}

/** Moves cash by exactly qty × price and updates the position's quantity and average entry price. */
function applyFill(account: SimAccount, symbol: string, signedQty: Decimal, price: Decimal): void {
  account.cash = sub(account.cash, trimDecimal(mul(signedQty, price)));
  const existing = account.positions.get(symbol);
  const before = existing?.qty ?? ZERO;
  const after = add(before, signedQty);
  if (sign(after) === 0) {
    account.positions.delete(symbol);
    return;
  }
  let avgEntryPrice = price;
  if (existing && sign(before) === sign(signedQty)) {
    const cost = add(mul(before, existing.avgEntryPrice), mul(signedQty, price));
    avgEntryPrice = trimDecimal(divideDecimal(cost, after, AVG_PRICE_SCALE));
  } else if (existing && sign(after) === sign(before)) {
    avgEntryPrice = existing.avgEntryPrice; // reducing a position leaves its entry price alone
  }
  account.positions.set(symbol, { symbol, ...assetFor(symbol), qty: trimDecimal(after), avgEntryPrice });
}

function positionIntent(side: 'buy' | 'sell', held: Decimal): string {
  if (side === 'buy') return sign(held) < 0 ? 'buy_to_close' : 'buy_to_open';
  return sign(held) > 0 ? 'sell_to_close' : 'sell_to_open';
}

function fillActivity(
  order: OrderJson,
  side: FillActivity['side'],
  qty: Decimal,
  price: Decimal,
  ctx: OrderContext,
): FillActivity {
  const q = format(abs(qty));
  return {
    id: activityId(ctx.nowMs, ctx.nextSeq()),
    activity_type: 'FILL',
    transaction_time: new Date(ctx.nowMs).toISOString(),
    type: 'fill',
    price: format(price),
    qty: q,
    side,
    symbol: order['symbol'] as string,
    leaves_qty: '0',
    order_id: order.id,
    cum_qty: q,
    order_status: 'filled',
  };
}
