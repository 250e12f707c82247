import { formatDecimal, parseDecimal, roundDecimal } from '@friren/contracts';

/** Fractional digits kept from the broker (the equity_daily columns hold 18). */
const MAX_FRACTION = 18;

/**
 * A broker amount, JSON number or decimal string, as the canonical decimal string the database
 * returns for it: a number through its shortest round-trip form (1234.56 stays "1234.56"), exponents
 * expanded, digits past the 18th decimal cut, no `-0`. Throws RangeError on a non-finite number or a
 * string that is not a plain decimal.
 */
export function toLedgerDecimal(value: number | string): string {
  const d = parseDecimal(value);
  if (d === null) throw new RangeError(`not a finite decimal: ${JSON.stringify(String(value))}`);
  return formatDecimal(roundDecimal(d, MAX_FRACTION, 'truncate'));
}
