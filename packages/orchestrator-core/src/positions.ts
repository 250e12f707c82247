import { abs, add, type Decimal, parseDecimal, SIGNED_DECIMAL_PATTERN } from '@friren/contracts';
import { z } from 'zod';

/**
 * `P:account:A:positions`: the broker's position objects as the poller stored them (JSON array,
 * decimal strings). Only the fields risk checks need are read; unknown fields are tolerated so a
 * richer broker body never breaks a reader.
 */
const decimalText = z.string().regex(SIGNED_DECIMAL_PATTERN, { message: 'must be a decimal string' });

const positionSchema = z.looseObject({
  symbol: z.string().min(1),
  qty: decimalText,
  side: z.string().optional(),
  market_value: decimalText.nullish(),
  unrealized_pl: decimalText.nullish(),
});

export const positionsSchema = z.array(positionSchema);

/** One open position, reduced to exact numbers. `qty` is signed: negative for a short. */
export interface Position {
  readonly symbol: string;
  readonly qty: Decimal;
  /** |market value| (exposure), null when the broker sent none. */
  readonly exposure: Decimal | null;
  readonly unrealizedPl: Decimal | null;
}

export interface Positions {
  readonly bySymbol: ReadonlyMap<string, Position>;
  /** Sum of unrealized P&L over positions that report it; null when none do. */
  readonly unrealizedPl: Decimal | null;
}

export type PositionsParse =
  | { readonly ok: true; readonly positions: Positions }
  | { readonly ok: false; readonly reason: string };

/** Parses the stored JSON text; `null` text (key absent) is reported as such by the caller. */
export function parsePositions(text: string): PositionsParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'positions: not JSON' };
  }
  const r = positionsSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: `positions: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}` };
  }
  const bySymbol = new Map<string, Position>();
  let unrealized: Decimal | null = null;
  for (const p of r.data) {
    // The regex above guarantees these parse.
    let qty = parseDecimal(p.qty)!;
    // Alpaca reports short qty as negative already; trust `side` when it disagrees with the sign.
    if (p.side === 'short' && qty.units > 0n) qty = { units: -qty.units, scale: qty.scale };
    const mv = p.market_value == null ? null : parseDecimal(p.market_value);
    const upl = p.unrealized_pl == null ? null : parseDecimal(p.unrealized_pl);
    if (upl !== null) {
      unrealized = unrealized === null ? upl : add(unrealized, upl);
    }
    bySymbol.set(p.symbol, {
      symbol: p.symbol,
      qty,
      exposure: mv === null ? null : abs(mv),
      unrealizedPl: upl,
    });
  }
  return { ok: true, positions: { bySymbol, unrealizedPl: unrealized } };
}
