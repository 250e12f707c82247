import { formatDecimal, parseDecimal } from '@friren/contracts';

/**
 * DECIMAL(38,9) columns read back with all nine fractional digits (`'1.500000000'`). The contract's
 * canonical decimal has no trailing fractional zeros (`'1.5'`), so reads are normalised to it and a
 * value reads back exactly as it was written.
 */
export function canonicalDecimal(sqlDecimal: string): string {
  const d = parseDecimal(sqlDecimal);
  if (d === null) throw new RangeError(`not a SQL DECIMAL: ${JSON.stringify(sqlDecimal)}`);
  return formatDecimal(d);
}
