/**
 * Exact fixed-point numbers as scaled bigints. Quantities, prices and fees arrive with at most 9
 * fractional digits; a quantity × price product has 18, so money is carried at scale 18 and every
 * sum, difference and product stays exact. Only proration (average cost, fee splits) divides, and
 * there the remainder is kept in the position (see `lot-book.ts`), so totals stay exact.
 */

/** Fractional digits of quantities, prices and fees (the contract's maximum). */
export const QUANTITY_SCALE = 9;
/** Fractional digits of money: quantity × price needs 9 + 9. */
export const MONEY_SCALE = 18;

/** 10^9 as a bigint: lifts a scale-9 value (a fee) to money scale. */
export const SCALE_9_TO_18 = 1_000_000_000n;

const POW10_BIG: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const POW10_NUM: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Parses a plain decimal string (`-?digits[.digits]`) into an integer scaled by 10^scale. Extra
 * fractional digits are accepted only when they are zeros (`1.5000000000` at scale 9), so nothing
 * is ever rounded. Throws `RangeError` on anything else.
 */
export function parseFixed(value: string, scale: number): bigint {
  // Fast path: up to 15 significant digits fit a float64 exactly, so one BigInt() call replaces
  // the string → bigint conversion (this runs three times per trade in the fold).
  const len = value.length;
  let i = 0;
  let negative = false;
  if (len > 0 && value.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let acc = 0;
  let digits = 0;
  let frac = -1;
  for (; i < len; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (frac !== -1 || digits === 0) throw malformed(value);
      frac = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) throw malformed(value);
    acc = acc * 10 + d;
    digits++;
    if (frac !== -1) frac++;
  }
  if (digits === 0 || frac === 0) throw malformed(value);
  const fracDigits = frac === -1 ? 0 : frac;
  if (fracDigits <= scale && digits <= 15) {
    if (acc === 0) return 0n; // zero fees are common: skip the allocation
    const shift = scale - fracDigits;
    const scaled = shift < POW10_NUM.length ? acc * (POW10_NUM[shift] as number) : Number.POSITIVE_INFINITY;
    const big = scaled <= Number.MAX_SAFE_INTEGER ? BigInt(scaled) : BigInt(acc) * pow10(shift);
    return negative ? -big : big;
  }
  return parseSlow(value, scale, negative);
}

function parseSlow(value: string, scale: number, negative: boolean): bigint {
  const body = negative ? value.slice(1) : value;
  const dot = body.indexOf('.');
  const int = dot === -1 ? body : body.slice(0, dot);
  let frac = dot === -1 ? '' : body.slice(dot + 1);
  if (frac.length > scale) {
    if (!/^0*$/.test(frac.slice(scale))) {
      throw new RangeError(`decimal ${JSON.stringify(value)} has more than ${scale} fractional digits`);
    }
    frac = frac.slice(0, scale);
  }
  const big = BigInt(int + frac) * pow10(scale - frac.length);
  return negative ? -big : big;
}

function malformed(value: string): RangeError {
  return new RangeError(`not a plain decimal string: ${JSON.stringify(value)}`);
}

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return POW10_BIG[n] ?? 10n ** BigInt(n);
}

/** Canonical decimal string: no exponent, no leading zeros, trailing fractional zeros trimmed. */
export function formatFixed(value: bigint, scale: number): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const cut = digits.length - scale;
    let end = digits.length;
    while (end > cut && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  }
  return negative ? `-${digits}` : digits;
}

/** A money amount (scale 18) as a canonical decimal string. */
export function formatMoney(value: bigint): string {
  return formatFixed(value, MONEY_SCALE);
}

/** A money amount as a decimal string parsed to scale 18 (exact; throws on more digits). */
export function parseMoney(value: string): bigint {
  return parseFixed(value, MONEY_SCALE);
}

/** numerator / denominator rounded half to even (denominator ≠ 0). */
export function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  let q = numerator / denominator;
  const r = numerator - q * denominator;
  if (r === 0n) return q;
  const twice = 2n * (r < 0n ? -r : r);
  const d = denominator < 0n ? -denominator : denominator;
  const away = numerator < 0n !== denominator < 0n ? -1n : 1n;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += away;
  return q;
}

/** A scaled integer as a float64 (for ratios only: never for balances). */
export function toFloat(value: bigint, scale: number): number {
  return Number(value) / 10 ** scale;
}
