/**
 * Exact decimal arithmetic for money checks (day P&L, notional vs buying power, concentration).
 * A value is `units / 10^scale` with `units` a BigInt, so broker strings such as
 * `122011.09751111286868` are held and combined without ever touching a float.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

export const ZERO: Decimal = { units: 0n, scale: 0 };

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

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) - rescale(b, scale), scale };
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export function neg(a: Decimal): Decimal {
  return { units: -a.units, scale: a.scale };
}

export function abs(a: Decimal): Decimal {
  return a.units < 0n ? neg(a) : a;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
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
  if (denominator.units === 0n) return null;
  // n/10^sn ÷ d/10^sd = n·10^(sd+digits) / (d·10^sn), in units of 10^-digits.
  let num = numerator.units * 10n ** BigInt(denominator.scale + digits);
  let den = denominator.units * 10n ** BigInt(numerator.scale);
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const q = num / den;
  const r = num % den;
  const roundAway = 2n * (r < 0n ? -r : r) >= den;
  return { units: roundAway ? q + (num < 0n ? -1n : 1n) : q, scale: digits };
}

/** For display and convenience accessors only; never feed the result back into money arithmetic. */
export function toNumber(d: Decimal): number {
  return Number(formatDecimal(d));
}
