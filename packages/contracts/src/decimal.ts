/**
 * Canonical decimal strings. Money and quantities cross every boundary as decimal strings and are
 * never held in a float; these helpers turn the forms a producer may send into one canonical form
 * (no sign for positives, no leading zeros, no trailing fractional zeros, no exponent).
 */

/** Plain decimal as accepted from producers: digits, optional fraction, no sign, no exponent. */
const PLAIN_UNSIGNED = /^(\d+)(?:\.(\d+))?$/;

/** A signed decimal string as the broker sends money (e.g. `-1234.5`, `122011.09751111286868`). */
export const SIGNED_DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;

export interface DecimalParts {
  /** Integer digits without leading zeros ('0' for zero). */
  readonly int: string;
  /** Fraction digits without trailing zeros ('' when integral). */
  readonly frac: string;
}

export type DecimalParseResult =
  | { readonly ok: true; readonly parts: DecimalParts }
  | { readonly ok: false; readonly rule: 'not-a-decimal' | 'not-finite' };

/**
 * Splits an unsigned decimal (string or JS number) into canonical parts. A number is read through
 * its shortest round-trip representation (what `String(n)` gives), expanding exponents exactly, so
 * `0.1` stays `0.1` and `1e-7` becomes `0.0000001`.
 */
export function parseUnsignedDecimal(input: string | number): DecimalParseResult {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, rule: 'not-finite' };
    if (input < 0 || Object.is(input, -0)) return { ok: false, rule: 'not-a-decimal' };
    text = expandExponent(String(input));
  } else {
    text = input;
  }
  const m = PLAIN_UNSIGNED.exec(text);
  if (!m) return { ok: false, rule: 'not-a-decimal' };
  const int = (m[1] ?? '').replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  return { ok: true, parts: { int, frac } };
}

export function formatDecimal(parts: DecimalParts): string {
  return parts.frac.length > 0 ? `${parts.int}.${parts.frac}` : parts.int;
}

export function isZero(parts: DecimalParts): boolean {
  return parts.int === '0' && parts.frac === '';
}

/** `1.5e-7` → `0.00000015`, `1e+21` → `1000000000000000000000`; plain input unchanged. */
function expandExponent(s: string): string {
  const m = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const point = (m[1] ?? '').length + Number(m[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
