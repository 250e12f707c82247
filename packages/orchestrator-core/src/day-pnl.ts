import { type AccountSnapshot, divideDecimal, formatDecimal, parseDecimal, sub } from '@friren/contracts';
import type { DayPnl } from './types.js';

/** equity − last_equity, exact, and its percentage of last_equity; null when either is missing. */
export function computeDayPnl(s: AccountSnapshot): DayPnl | null {
  if (s.equity === undefined || s.last_equity === undefined) return null;
  const equity = parseDecimal(s.equity);
  const last = parseDecimal(s.last_equity);
  if (equity === null || last === null) return null;
  const day = sub(equity, last);
  const pct =
    last.units === 0n ? null : divideDecimal({ units: day.units * 100n, scale: day.scale }, last, 6);
  return { day: formatDecimal(day), day_pct: pct === null ? null : Number(formatDecimal(pct)) };
}
