/**
 * Exact decimal arithmetic for money checks (day P&L, notional vs buying power, concentration).
 * A value is `units / 10^scale` with `units` a BigInt, so broker strings such as
 * `122011.09751111286868` are held and combined without ever touching a float.
 */
import { type Decimal, divideDecimal } from '@friren/contracts';

export { abs, add, cmp, type Decimal, mul, neg, sub, ZERO } from '@friren/contracts';

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/** Parses a plain signed decimal string (no exponent); null for anything else. */
export function parseDecimal(text: string): Decimal | null {
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return null;
  const frac = m[3] ?? '';
  const units = BigInt((m[2] ?? '0') + frac);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

/**
 * A decimal from a string or a JS number (read through its shortest round-trip text, exponents
 * expanded), so a caller's `0.1` means exactly 0.1. Null for non-finite or malformed input.
 */
export function toDecimal(input: string | number): Decimal | null {
  if (typeof input === 'string') return parseDecimal(input);
  if (!Number.isFinite(input)) return null;
  return parseDecimal(expandExponent(String(input)));
}

function expandExponent(s: string): string {
  const m = /^(-)?(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = (m[2] ?? '').length + Number(m[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

export function isNegative(a: Decimal): boolean {
  return a.units < 0n;
}

export function isPositive(a: Decimal): boolean {
  return a.units > 0n;
}

/** Canonical text: no trailing fractional zeros, `-` only for negatives, never `-0`. */
export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    const int = digits.slice(0, digits.length - d.scale);
    const frac = digits.slice(digits.length - d.scale).replace(/0+$/, '');
    digits = frac.length > 0 ? `${int}.${frac}` : int;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/**
 * `numerator / denominator` rounded half away from zero to `digits` places, exactly; null when the
 * denominator is zero. Used for percentages, which are then reported as numbers.
 */
export function divide(numerator: Decimal, denominator: Decimal, digits: number): Decimal | null {
  return denominator.units === 0n ? null : divideDecimal(numerator, denominator, digits);
}

/** For display and convenience accessors only; never feed the result back into money arithmetic. */
export function toNumber(d: Decimal): number {
  return Number(formatDecimal(d));
}
