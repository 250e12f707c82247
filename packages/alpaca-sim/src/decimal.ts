/**
 * A tiny exact decimal: value = units / 10^scale. Money in the simulator never touches a float,
 * so a balance seeded as "122011.09751111286868" comes back out digit for digit.
 */
import { cmp, type Decimal, divideDecimal, divRoundHalfAway } from '@friren/contracts';

export { abs, add, cmp, type Decimal, mul, neg, sub, ZERO } from '@friren/contracts';

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

export function isDecimalString(value: string): boolean {
  return DECIMAL_RE.test(value);
}

/** Parses a plain decimal string (no exponent, no leading "+"); throws RangeError otherwise. */
export function dec(value: string): Decimal {
  if (!DECIMAL_RE.test(value)) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  const negative = value.startsWith('-');
  const [int = '0', frac = ''] = (negative ? value.slice(1) : value).split('.');
  const units = BigInt(int + frac);
  return { units: negative ? -units : units, scale: frac.length };
}

/** Accepts a JS number only when its shortest decimal form is plain (no exponent). */
export function decFromNumber(value: number): Decimal {
  return dec(String(value));
}

/** Formats keeping the scale, so a parsed string formats back to itself (except "-0"). */
export function format(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString();
  if (d.scale === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(d.scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -d.scale)}.${padded.slice(-d.scale)}`;
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

export function sign(d: Decimal): -1 | 0 | 1 {
  return d.units < 0n ? -1 : d.units > 0n ? 1 : 0;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

/**
 * a / b to `scale` fractional digits, rounded half away from zero, or cut toward zero with
 * `truncate` (a notional order never buys more than its money covers).
 */
export const div = divideDecimal;

/** Rounds half away from zero to at most `scale` fractional digits. */
export function round(d: Decimal, scale: number): Decimal {
  if (d.scale <= scale) return d;
  return { units: divRoundHalfAway(d.units, pow10(d.scale - scale)), scale };
}

/** Removes trailing fractional zeros: "1892.5000" → "1892.5". */
export function trim(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
}
