/**
 * Exact decimals, the one implementation every package shares. Money and quantities cross every
 * boundary as decimal strings and are never held in a float; inside, a value is `units / 10^scale`
 * with `units` a BigInt, so broker strings such as `122011.09751111286868` are combined digit for
 * digit. The canonical string form has no sign for positives, no `-0`, no leading zeros, no
 * trailing fractional zeros and no exponent.
 */

/** A signed plain decimal string as the broker sends money (e.g. `-1234.5`, `122011.09751111286868`). */
export const SIGNED_DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;

export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

const POW10: readonly bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));
const POW10_NUM: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/**
 * Parses a plain signed decimal string (`-?digits[.digits]`: no `+`, no exponent, no blanks), or a
 * finite JS number read through its shortest round-trip text with the exponent expanded, so `0.1`
 * means exactly 0.1 and `1e-7` is `0.0000001`. The scale is the number of fractional digits as
 * written (`'1.50'` has scale 2). Null for anything else.
 */
export function parseDecimal(input: string | number): Decimal | null {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (Number.isFinite(input)) text = expandExponent(String(input));
  else return null;
  const dot = text.indexOf('.');
  const scale = dot === -1 ? 0 : text.length - dot - 1;
  const units = parseScaled(text, scale);
  return units === null ? null : { units, scale };
}

/**
 * A plain signed decimal string as an integer count of 10^-scale, exactly: `parseScaled('1.5', 9)`
 * is 1500000000n. Fractional digits past `scale` are accepted only when they are zeros, so nothing
 * is ever rounded. Null for anything else.
 */
export function parseScaled(text: string, scale: number): bigint | null {
  // One pass over the characters; up to 15 digits fit a float64 exactly, so a single BigInt(number)
  // replaces the string → bigint conversion (this runs per fill in the analytics fold).
  const len = text.length;
  let i = 0;
  let negative = false;
  if (len > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let acc = 0;
  let digits = 0;
  let frac = -1;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (frac !== -1 || digits === 0) return null;
      frac = 0;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return null;
    acc = acc * 10 + d;
    digits++;
    if (frac !== -1) frac++;
  }
  if (digits === 0 || frac === 0) return null;
  const fracDigits = frac === -1 ? 0 : frac;
  if (fracDigits <= scale && digits <= 15) {
    if (acc === 0) return 0n; // zero fees are common: skip the allocation
    const shift = scale - fracDigits;
    const scaled = shift < POW10_NUM.length ? acc * (POW10_NUM[shift] as number) : Number.POSITIVE_INFINITY;
    const big = scaled <= Number.MAX_SAFE_INTEGER ? BigInt(scaled) : BigInt(acc) * pow10(shift);
    return negative ? -big : big;
  }
  // Past 15 digits, or digits beyond `scale`: from the text.
  const body = negative ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const int = dot === -1 ? body : body.slice(0, dot);
  let fraction = dot === -1 ? '' : body.slice(dot + 1);
  if (fraction.length > scale) {
    for (let k = scale; k < fraction.length; k++) if (fraction.charCodeAt(k) !== 48) return null;
    fraction = fraction.slice(0, scale);
  }
  const big = BigInt(int + fraction) * pow10(scale - fraction.length);
  return negative ? -big : big;
}

/** `1.5e-7` → `0.00000015`, `-1e+21` → `-1000000000000000000000`; plain text unchanged. */
function expandExponent(s: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (m === null) return s;
  const sign = m[1] ?? '';
  const digits = (m[2] ?? '') + (m[3] ?? '');
  const point = (m[2] ?? '').length + Number(m[4]);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * The canonical decimal string of `d`. Trailing fractional zeros are dropped down to `minScale`
 * digits (default 0), so `formatDecimal(d, d.scale)` keeps the scale as written and
 * `formatDecimal(d, 2)` always shows cents.
 */
export function formatDecimal(d: Decimal, minScale = 0): string {
  const { units, scale } = d;
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const cut = digits.length - scale;
    const keep = cut + Math.min(minScale, scale);
    let end = digits.length;
    while (end > keep && digits.charCodeAt(end - 1) === 48) end--;
    digits = end === cut ? digits.slice(0, cut) : `${digits.slice(0, cut)}.${digits.slice(cut, end)}`;
  }
  if (minScale > scale) digits += (scale > 0 ? '' : '.') + '0'.repeat(minScale - scale);
  return negative ? `-${digits}` : digits;
}

function rescale(d: Decimal, scale: number): bigint {
  return scale === d.scale ? d.units : d.units * pow10(scale - d.scale);
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

export function sign(d: Decimal): -1 | 0 | 1 {
  return d.units < 0n ? -1 : d.units > 0n ? 1 : 0;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function max(a: Decimal, b: Decimal): Decimal {
  return cmp(a, b) >= 0 ? a : b;
}

/** `n / d` for integers, rounded half away from zero (`d` ≠ 0). */
export function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const [num, den] = d < 0n ? [-n, -d] : [n, d];
  const q = num / den;
  const r = num % den;
  return 2n * (r < 0n ? -r : r) >= den ? q + (num < 0n ? -1n : 1n) : q;
}

/** `n / d` for integers, rounded half to even (`d` ≠ 0). */
export function divRoundHalfEven(n: bigint, d: bigint): bigint {
  let q = n / d;
  const r = n - q * d;
  if (r === 0n) return q;
  const twice = 2n * (r < 0n ? -r : r);
  const den = d < 0n ? -d : d;
  const away = n < 0n !== d < 0n ? -1n : 1n;
  if (twice > den || (twice === den && q % 2n !== 0n)) q += away;
  return q;
}

/**
 * `a / b` to `scale` fractional digits, rounded half away from zero, or cut toward zero with
 * `truncate`. Throws RangeError on a zero divisor.
 */
export function divideDecimal(
  a: Decimal,
  b: Decimal,
  scale: number,
  mode: 'round' | 'truncate' = 'round',
): Decimal {
  if (b.units === 0n) throw new RangeError('division by zero');
  // a/10^sa ÷ b/10^sb = a·10^(sb+scale) / (b·10^sa), in units of 10^-scale.
  const n = a.units * pow10(scale + b.scale);
  const d = b.units * pow10(a.scale);
  if (mode === 'round') return { units: divRoundHalfAway(n, d), scale };
  return { units: n / d, scale };
}

/**
 * `d` with at most `scale` fractional digits: rounded half away from zero, or cut toward zero with
 * `truncate`. A value with fewer digits is returned as it is.
 */
export function roundDecimal(d: Decimal, scale: number, mode: 'round' | 'truncate' = 'round'): Decimal {
  if (d.scale <= scale) return d;
  const cut = pow10(d.scale - scale);
  return { units: mode === 'round' ? divRoundHalfAway(d.units, cut) : d.units / cut, scale };
}

/** `d` without trailing fractional zeros: 1892.5000 (scale 4) → 1892.5 (scale 1). */
export function trimDecimal(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return scale === d.scale ? d : { units, scale };
}
