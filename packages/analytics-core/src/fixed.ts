/**
 * Exact fixed-point numbers as scaled bigints, over the shared decimal of @friren/contracts.
 * Quantities, prices and fees arrive with at most 9 fractional digits; a quantity × price product has
 * 18, so money is carried at scale 18 and every sum, difference and product stays exact. Only
 * proration (average cost, fee splits) divides, and there the remainder is kept in the position (see
 * `lot-book.ts`), so totals stay exact.
 */
import { formatDecimal, parseScaled } from '@friren/contracts';

/** Fractional digits of quantities, prices and fees (the contract's maximum). */
export const QUANTITY_SCALE = 9;
/** Fractional digits of money: quantity × price needs 9 + 9. */
export const MONEY_SCALE = 18;

/** 10^9 as a bigint: lifts a scale-9 value (a fee) to money scale. */
export const SCALE_9_TO_18 = 1_000_000_000n;

/**
 * Parses a plain decimal string (`-?digits[.digits]`) into an integer scaled by 10^scale. Extra
 * fractional digits are accepted only when they are zeros (`1.5000000000` at scale 9), so nothing
 * is ever rounded. Throws `RangeError` on anything else.
 */
export function parseFixed(value: string, scale: number): bigint {
  const units = parseScaled(value, scale);
  if (units === null) {
    throw new RangeError(
      `not a plain decimal with at most ${scale} fractional digits: ${JSON.stringify(value)}`,
    );
  }
  return units;
}

/** Canonical decimal string: no exponent, no leading zeros, trailing fractional zeros trimmed. */
export function formatFixed(value: bigint, scale: number): string {
  return formatDecimal({ units: value, scale });
}

/** A money amount (scale 18) as a canonical decimal string. */
export function formatMoney(value: bigint): string {
  return formatDecimal({ units: value, scale: MONEY_SCALE });
}

/** A money amount as a decimal string parsed to scale 18 (exact; throws on more digits). */
export function parseMoney(value: string): bigint {
  return parseFixed(value, MONEY_SCALE);
}

/** A scaled integer as a float64 (for ratios only: never for balances). */
export function toFloat(value: bigint, scale: number): number {
  return Number(value) / 10 ** scale;
}
