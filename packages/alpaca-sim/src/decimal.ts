/**
 * A tiny exact decimal: value = units / 10^scale. Money in the simulator never touches a float,
 * so a balance seeded as "122011.09751111286868" comes back out digit for digit.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;

export const ZERO: Decimal = { units: 0n, scale: 0 };

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

function rescale(d: Decimal, scale: number): bigint {
  return d.units * pow10(scale - d.scale);
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

export function neg(d: Decimal): Decimal {
  return { units: -d.units, scale: d.scale };
}

export function abs(d: Decimal): Decimal {
  return d.units < 0n ? neg(d) : d;
}

export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function sign(d: Decimal): -1 | 0 | 1 {
  return d.units < 0n ? -1 : d.units > 0n ? 1 : 0;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

/** n / d rounded half away from zero. */
function divRound(n: bigint, d: bigint): bigint {
  const [num, den] = d < 0n ? [-n, -d] : [n, d];
  const q = num / den;
  const r = num % den;
  const twice = 2n * (r < 0n ? -r : r);
  if (twice >= den) return q + (num < 0n ? -1n : 1n);
  return q;
}

/**
 * a / b to `scale` fractional digits, rounded half away from zero, or cut toward zero with
 * `truncate` (a notional order never buys more than its money covers).
 */
export function div(a: Decimal, b: Decimal, scale: number, mode: 'round' | 'truncate' = 'round'): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  const n = a.units * pow10(scale + b.scale);
  const d = b.units * pow10(a.scale);
  return { units: mode === 'round' ? divRound(n, d) : n / d, scale };
}

/** Rounds half away from zero to at most `scale` fractional digits. */
export function round(d: Decimal, scale: number): Decimal {
  if (d.scale <= scale) return d;
  return { units: divRound(d.units, pow10(d.scale - scale)), scale };
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
