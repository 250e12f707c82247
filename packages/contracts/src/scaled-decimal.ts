/**
 * Exact decimal arithmetic on scaled integers: a value is `units / 10^scale` with `units` a BigInt,
 * so broker strings such as `122011.09751111286868` are combined without touching a float. The
 * one implementation every package with money arithmetic shares (parsing and formatting rules
 * differ per use and stay with their users).
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

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

export function neg(d: Decimal): Decimal {
  return { units: -d.units, scale: d.scale };
}

export function abs(d: Decimal): Decimal {
  return d.units < 0n ? neg(d) : d;
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function cmp(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `n / d` for integers, rounded half away from zero. */
export function divRoundHalfAway(n: bigint, d: bigint): bigint {
  const [num, den] = d < 0n ? [-n, -d] : [n, d];
  const q = num / den;
  const r = num % den;
  return 2n * (r < 0n ? -r : r) >= den ? q + (num < 0n ? -1n : 1n) : q;
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
  const n = a.units * 10n ** BigInt(scale + b.scale);
  const d = b.units * 10n ** BigInt(a.scale);
  if (mode === 'round') return { units: divRoundHalfAway(n, d), scale };
  return { units: n / d, scale };
}
