/** Fractional digits kept from a broker float (the equity_daily columns hold 18). */
const MAX_FRACTION = 18;

/**
 * A JSON number from the broker as a plain decimal string, through its shortest round-trip form
 * (`String(n)`), so 1234.56 stays "1234.56". Exponents are expanded; digits past the 18th decimal
 * (only possible for magnitudes below 0.1) are cut. Throws on a non-finite number.
 */
export function numberToDecimal(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  const negative = n < 0;
  const text = String(Math.abs(n));
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) throw new RangeError(`unexpected number form: ${text}`);
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const point = (m[1] ?? '').length + Number(m[3] ?? 0);
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.slice(0, MAX_FRACTION).replace(/0+$/, '');
  const body = frac === '' ? int : `${int}.${frac}`;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/**
 * A signed decimal string in canonical form — no leading zeros, no trailing fractional zeros, no
 * `-0` — cut past the 18th decimal, so equal amounts compare equal as strings (as the database
 * returns them).
 */
export function canonicalDecimalString(value: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  const int = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').slice(0, MAX_FRACTION).replace(/0+$/, '');
  const body = frac === '' ? int : `${int}.${frac}`;
  return m[1] === '-' && /[1-9]/.test(body) ? `-${body}` : body;
}
