/** New York dates and times for the demo's history (the broker's trading calendar runs on them). */
const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

const DAY_MS = 86_400_000;

function parts(ms: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of NEW_YORK.formatToParts(ms)) out[p.type] = p.value;
  return out;
}

/** The New York date (`YYYY-MM-DD`) of an instant. */
export function newYorkDate(ms: number): string {
  const p = parts(ms);
  return `${p['year']}-${p['month']}-${p['day']}`;
}

/** The `count` New York weekdays before the New York date of `nowMs`, oldest first (holidays not skipped). */
export function pastWeekdays(nowMs: number, count: number): string[] {
  const today = newYorkDate(nowMs);
  const out: string[] = [];
  // Noon UTC of a date is the same date in New York, so stepping by whole days stays on dates.
  let t = Date.parse(`${today}T12:00:00Z`) - DAY_MS;
  while (out.length < count) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
    t -= DAY_MS;
  }
  return out.reverse();
}

/** The UTC instant of a New York wall-clock time on a New York date (EDT −4 h or EST −5 h). */
export function newYorkTime(date: string, minuteOfDay: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  for (const offsetH of [4, 5]) {
    const ms = wall + offsetH * 3_600_000;
    const p = parts(ms);
    if (
      `${p['year']}-${p['month']}-${p['day']}` === date &&
      Number(p['hour']) * 60 + Number(p['minute']) === minuteOfDay
    )
      return new Date(ms).toISOString();
  }
  throw new RangeError(`no New York time ${minuteOfDay} min into ${date}`);
}
