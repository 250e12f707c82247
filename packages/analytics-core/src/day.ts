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
