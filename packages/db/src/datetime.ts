import { daysInMonth } from '@friren/contracts';

/**
 * Times in the ledger are DATETIME(6) holding UTC. mysql2 runs with `dateStrings: true`, so they are
 * read back as `'YYYY-MM-DD HH:MM:SS.ffffff'` strings and never pass through a JS Date, which would
 * drop the microseconds. The rest of the system speaks the canonical ISO form
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`; these two functions are the only bridge between the forms.
 */

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;
const SQL_DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

/** `2026-11-25T15:21:37.123456Z` → `2026-11-25 15:21:37.123456`. Only UTC (`Z`) input is accepted. */
export function toSqlDateTime(isoUtc: string): string {
  const m = ISO_UTC.exec(isoUtc);
  if (!m || !isRealDateTime(m[1]!, m[2]!)) {
    throw new RangeError(`not a canonical UTC timestamp: ${JSON.stringify(isoUtc)}`);
  }
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(6, '0')}`;
}

/** `2026-11-25 15:21:37.123456` (as DATETIME(6) reads back) → `2026-11-25T15:21:37.123456Z`. */
export function fromSqlDateTime(sqlDateTime: string): string {
  const m = SQL_DATETIME.exec(sqlDateTime);
  if (!m) throw new RangeError(`not a SQL DATETIME: ${JSON.stringify(sqlDateTime)}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`;
}

/**
 * Rejects 2026-02-30 or 25:00:00, which the regex lets through and MySQL would refuse or mangle.
 * Plain arithmetic: this runs for every row the recorder writes.
 */
function isRealDateTime(date: string, time: string): boolean {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return Number(time.slice(0, 2)) <= 23 && Number(time.slice(3, 5)) <= 59 && Number(time.slice(6, 8)) <= 59;
}
