/**
 * The simulator's side of the shared exact decimal (@friren/contracts): money never touches a
 * float, and a balance seeded as "122011.09751111286868" comes back out digit for digit.
 */
import { type Decimal, formatDecimal, parseDecimal } from '@friren/contracts';

/** Parses a plain decimal string (no exponent, no leading "+"); throws RangeError otherwise. */
export function dec(value: string): Decimal {
  const d = parseDecimal(value);
  if (d === null) throw new RangeError(`not a decimal string: ${JSON.stringify(value)}`);
  return d;
}

/** Accepts a JS number only when its shortest decimal form is plain (no exponent). */
export function decFromNumber(value: number): Decimal {
  return dec(String(value));
}

/** Formats keeping the scale, as the broker writes money, so a parsed string formats back to itself. */
export function format(d: Decimal): string {
  return formatDecimal(d, d.scale);
}
