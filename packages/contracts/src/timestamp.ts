/**
 * ISO-8601 execution timestamps. Producers send any offset; the ledger stores UTC with microseconds,
 * so we normalise to `YYYY-MM-DDTHH:MM:SS.ffffffZ` by string arithmetic (a JS Date would drop the
 * microseconds).
 */

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export type TimestampParseResult =
  | { readonly ok: true; readonly iso: string; readonly epochMs: number }
  | { readonly ok: false; readonly rule: 'format' | 'invalid-date' | 'precision' | 'range' | 'offset' };

/**
 * Real UTC offsets run from -12:00 to +14:00; anything beyond ±14:00 is a producer bug (a
 * mistyped offset would otherwise move the fill by up to a day without a word).
 */
export const MAX_OFFSET_MINUTES = 14 * 60;

export function normalizeTimestamp(input: string): TimestampParseResult {
  const m = ISO_WITH_OFFSET.exec(input);
  if (!m) return { ok: false, rule: 'format' };
  const [, y, mo, d, h, mi, s, fracRaw = '', offset = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Date.UTC maps years 0-99 to 1900-1999; such dates are out of range anyway.
  if (year < 1000) return { ok: false, rule: 'range' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, rule: 'invalid-date' };
  }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, rule: 'invalid-date' };
  // DATETIME(6) keeps microseconds; finer digits would be silently lost, so they must be zero.
  if (/[1-9]/.test(fracRaw.slice(6))) return { ok: false, rule: 'precision' };
  const micros = fracRaw.slice(0, 6).padEnd(6, '0');

  let offsetMinutes = 0;
  if (offset !== 'Z') {
    const oh = Number(offset.slice(1, 3));
    const om = Number(offset.slice(4, 6));
    if (om > 59) return { ok: false, rule: 'invalid-date' };
    if (oh * 60 + om > MAX_OFFSET_MINUTES) return { ok: false, rule: 'offset' };
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const epochSecondsMs = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const utc = new Date(epochSecondsMs);
  const utcYear = utc.getUTCFullYear();
  // The ledger's DATETIME range and common sense: nothing before the epoch or past year 9999.
  if (utcYear < 1970 || utcYear > 9999) return { ok: false, rule: 'range' };
  const iso = `${utc.toISOString().slice(0, 19)}.${micros}Z`;
  return { ok: true, iso, epochMs: epochSecondsMs + Math.floor(Number(micros) / 1000) };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in a month (1-12) of the proleptic Gregorian calendar, as JS Dates and MySQL count them. */
export function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** How far ahead of the checking clock an execution time may be (clock skew between hosts). */
export const DEFAULT_MAX_FUTURE_SKEW_MS = 5 * 60_000;

/**
 * Why an execution time (epoch ms) cannot be a fill that has happened yet, or undefined when it can:
 * more than `maxFutureSkewMs` ahead of `nowMs`. A fill dated 2099 is a producer bug, and taken into
 * the ledger it would sit at the end of every series for decades.
 */
export function futureTimestampProblem(
  epochMs: number,
  nowMs: number,
  maxFutureSkewMs: number,
): string | undefined {
  if (epochMs - nowMs <= maxFutureSkewMs) return undefined;
  return `is in the future: more than ${maxFutureSkewMs} ms ahead of the receiving clock (${new Date(nowMs).toISOString()})`;
}
