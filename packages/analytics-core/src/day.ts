const ZONE = /(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * The UTC calendar day (`YYYY-MM-DD`) of an ISO-8601 timestamp. A `Z` or zone-less time is UTC
 * already (the ledger stores UTC), so its first ten characters are the day; an offset is converted.
 */
export function utcDay(timestamp: string): string {
  const last = timestamp.charCodeAt(timestamp.length - 1);
  if ((last === 90 || last === 122 || !ZONE.test(timestamp)) && DATE.test(timestamp)) {
    return timestamp.slice(0, 10);
  }
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 timestamp: ${JSON.stringify(timestamp)}`);
  return new Date(ms).toISOString().slice(0, 10);
}

/** The broker's trading calendar runs on New York dates (Alpaca's daily bars and `last_equity`). */
const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The New York date (`YYYY-MM-DD`) of an instant in ms since the epoch. */
export function newYorkDateOfMs(ms: number): string {
  let y = '';
  let m = '';
  let d = '';
  for (const part of NEW_YORK.formatToParts(ms)) {
    if (part.type === 'year') y = part.value;
    else if (part.type === 'month') m = part.value;
    else if (part.type === 'day') d = part.value;
  }
  return `${y}-${m}-${d}`;
}

/** ms of an ISO-8601 time; a zone-less time is UTC (as the ledger stores it). Throws on garbage. */
function instantOf(timestamp: string): number {
  const ms = Date.parse(ZONE.test(timestamp) ? timestamp : `${timestamp.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms) || !DATE.test(timestamp)) {
    throw new RangeError(`not an ISO-8601 timestamp: ${JSON.stringify(timestamp)}`);
  }
  return ms;
}

/** The New York date of an ISO-8601 timestamp (a zone-less time is read as UTC). */
export function newYorkDay(timestamp: string): string {
  return newYorkDateOfMs(instantOf(timestamp));
}

/** The first instant (ms) of a New York date: its midnight is 04:00Z (EDT) or 05:00Z (EST). */
function newYorkMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const edt = Date.UTC(y, m - 1, d, 4);
  return newYorkDateOfMs(edt) === date ? edt : Date.UTC(y, m - 1, d, 5);
}

/** Positions of the digits of YYYY-MM-DDTHH. */
const HOUR_KEY_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12] as const;

/** The digit at `i` of `t`, or NaN. */
function digitAt(t: string, i: number): number {
  const d = t.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

/**
 * `YYYYMMDDHH` of a `YYYY-MM-DDTHH…` string as a number, or −1 if those characters are not digits.
 * Runs once per fill: no closure, so nothing is allocated per call.
 */
function utcHourKey(t: string): number {
  let key = 0;
  for (const i of HOUR_KEY_DIGITS) key = key * 10 + digitAt(t, i);
  return Number.isNaN(key) ? -1 : key;
}

function hourKeyOfMs(ms: number): number {
  const d = new Date(ms);
  return ((d.getUTCFullYear() * 100 + d.getUTCMonth() + 1) * 100 + d.getUTCDate()) * 100 + d.getUTCHours();
}

/**
 * `newYorkDay` for a stream of mostly ordered timestamps, O(1) while they stay within one day: New
 * York's midnight is a whole UTC hour, so a `…Z` time's day follows from its UTC date and hour,
 * read as the number YYYYMMDDHH and compared with the day's bounds. Anything else takes the slow path.
 */
export class NewYorkDayClock {
  private day = '';
  /** YYYYMMDDHH (UTC) of the day's first hour and of the next day's. */
  private from = 0;
  private until = 0;

  dayOf(timestamp: string): string {
    const n = timestamp.length;
    if (n >= 20 && timestamp.charCodeAt(n - 1) === 90 && timestamp.charCodeAt(10) === 84) {
      const key = utcHourKey(timestamp);
      if (key >= this.from && key < this.until) return this.day;
    }
    const day = newYorkDay(timestamp);
    const start = newYorkMidnight(day);
    // The next midnight is 23 to 25 hours on; 26 h lands inside the next day in every case.
    const next = newYorkMidnight(newYorkDateOfMs(start + 26 * 3_600_000));
    this.day = day;
    this.from = hourKeyOfMs(start);
    this.until = hourKeyOfMs(next);
    return day;
  }
}
