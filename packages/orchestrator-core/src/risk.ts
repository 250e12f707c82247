import {
  type AccountSnapshot,
  abs,
  add,
  cmp,
  type Decimal,
  formatDecimal,
  mul,
  neg,
  parseDecimal,
  sign,
  sub,
  ZERO,
} from '@friren/contracts';
import { ACTIVE_STATUS } from './health.js';
import type { ParsedOrder } from './order.js';
import type { Positions } from './positions.js';

/** Configurable limits; an absent or null limit turns its rule off. */
export interface RiskLimits {
  /** Largest exposure to one symbol after the order, in percent of equity (e.g. 20 for 20 %). */
  readonly maxPositionPct?: string | number | null;
  /** Loss for the day (equity − last_equity) beyond which new risk is refused, in account currency. */
  readonly dailyLossLimit?: string | number | null;
}

export interface ParsedRiskLimits {
  readonly maxPositionPct: Decimal | null;
  readonly dailyLossLimit: Decimal | null;
}

/** FINRA's pattern-day-trader equity floor. */
const PDT_EQUITY_FLOOR: Decimal = { units: 25_000n, scale: 0 };
const PDT_MAX_DAY_TRADES = 3;
const HUNDRED: Decimal = { units: 100n, scale: 0 };

/** Validates limits once, at construction, so a bad configuration fails loudly and early. */
export function parseRiskLimits(limits: RiskLimits = {}): ParsedRiskLimits {
  const read = (name: string, v: string | number | null | undefined): Decimal | null => {
    if (v === null || v === undefined) return null;
    const d = parseDecimal(v);
    if (d === null || sign(d) <= 0) throw new RangeError(`risk limit ${name} must be a positive decimal`);
    return d;
  };
  return {
    maxPositionPct: read('maxPositionPct', limits.maxPositionPct),
    dailyLossLimit: read('dailyLossLimit', limits.dailyLossLimit),
  };
}

export interface RiskContext {
  readonly snapshot: AccountSnapshot | null;
  /** Null when the positions are absent or unreadable: checks that need them then refuse. */
  readonly positions: Positions | null;
  readonly limits: ParsedRiskLimits;
}

export interface RiskDecision {
  readonly allowed: boolean;
  /** Each starts with a stable code (`buying_power:`, `concentration:` …) then says why. */
  readonly reasons: readonly string[];
}

/**
 * Pre-trade checks on one validated order, all exact. Rules:
 * - status must be ACTIVE; neither the account nor trading may be blocked;
 * - buying power: a buy needs quantity × price; a sell needs it only for the part that opens or
 *   grows a short (beyond the long quantity held; with positions unknown the whole sell counts);
 * - on the risk-increasing part only (a buy beyond any short, a sell beyond any long):
 *   concentration — the symbol's exposure after the order (held |market_value| + notional, or the
 *   new short alone when a sell flips a long) must be ≤ maxPositionPct % of equity;
 *   daily loss — refused once equity − last_equity is below −dailyLossLimit;
 * - pattern day trader, only when the broker still sends those fields: refused when flagged PDT
 *   with equity under 25 000 and 3 or more day trades (the order may be a day trade).
 * Every failing rule is reported, not only the first.
 */
export function checkOrderAgainst(ctx: RiskContext, order: ParsedOrder): RiskDecision {
  const s = ctx.snapshot;
  if (s === null) return { allowed: false, reasons: ['no_snapshot: the account snapshot is unknown'] };
  const reasons: string[] = [];
  if (s.status !== ACTIVE_STATUS) reasons.push(`account_status: account status is ${s.status}, not ACTIVE`);
  if (s.account_blocked === true) reasons.push('account_blocked: the broker has blocked the account');
  if (s.trading_blocked === true) reasons.push('trading_blocked: the broker has blocked trading');

  // The order schema guarantees both parse and are positive.
  const qty = parseDecimal(order.quantity)!;
  const price = parseDecimal(order.price)!;
  const notional = mul(qty, price);

  // Signed quantity already held: positive long, negative short.
  const held = ctx.positions?.bySymbol.get(order.symbol);
  const heldQty = ctx.positions === null ? null : (held?.qty ?? ZERO);
  // How much of the order closes an opposite position; the rest adds risk.
  const opposite = heldQty === null ? ZERO : order.side === 'buy' ? maxZero(neg(heldQty)) : maxZero(heldQty);
  const closing = cmp(qty, opposite) <= 0 ? qty : opposite;
  const increasing = sub(qty, closing);
  const increasingNotional = mul(increasing, price);

  const bp = s.buying_power === undefined ? null : parseDecimal(s.buying_power);
  const needed = order.side === 'buy' ? notional : increasingNotional;
  if (sign(needed) > 0) {
    if (bp === null) {
      reasons.push('buying_power: the snapshot carries no buying power');
    } else if (cmp(needed, bp) > 0) {
      reasons.push(
        `buying_power: order needs ${formatDecimal(needed)}, buying power is ${formatDecimal(bp)}`,
      );
    }
  }

  const equity = s.equity === undefined ? null : parseDecimal(s.equity);
  if (sign(increasing) > 0) {
    const maxPct = ctx.limits.maxPositionPct;
    if (maxPct !== null) {
      if (equity === null || sign(equity) <= 0) {
        reasons.push('concentration: equity is not positive, no new exposure is allowed');
      } else if (ctx.positions === null) {
        reasons.push('concentration: positions are unknown, exposure cannot be checked');
      } else {
        const existing = held === undefined ? ZERO : (held.exposure ?? abs(mul(held.qty, price)));
        // A sell that flips a long closes it first, so only the new short remains.
        const after = sign(closing) > 0 ? increasingNotional : add(existing, notional);
        // after / equity ≤ maxPct / 100  ⇔  after × 100 ≤ maxPct × equity (no division, exact).
        if (cmp(mul(after, HUNDRED), mul(maxPct, equity)) > 0) {
          reasons.push(
            `concentration: ${order.symbol} exposure would be ${formatDecimal(after)}, over ${formatDecimal(maxPct)}% of equity ${formatDecimal(equity)}`,
          );
        }
      }
    }
    const lossLimit = ctx.limits.dailyLossLimit;
    if (lossLimit !== null) {
      const last = s.last_equity === undefined ? null : parseDecimal(s.last_equity);
      if (equity === null || last === null) {
        reasons.push('daily_loss: day P&L is unknown (equity or last_equity missing)');
      } else {
        const day = sub(equity, last);
        if (cmp(day, neg(lossLimit)) < 0) {
          reasons.push(
            `daily_loss: day P&L ${formatDecimal(day)} is beyond the loss limit of ${formatDecimal(lossLimit)}`,
          );
        }
      }
    }
  }

  if (s.pattern_day_trader !== undefined && s.daytrade_count !== undefined) {
    if (
      s.pattern_day_trader &&
      s.daytrade_count >= PDT_MAX_DAY_TRADES &&
      (equity === null || cmp(equity, PDT_EQUITY_FLOOR) < 0)
    ) {
      reasons.push(
        `pattern_day_trader: flagged PDT with ${s.daytrade_count} day trades and equity under ${formatDecimal(PDT_EQUITY_FLOOR)}`,
      );
    }
  }
  return { allowed: reasons.length === 0, reasons };
}

function maxZero(d: Decimal): Decimal {
  return sign(d) > 0 ? d : ZERO;
}
