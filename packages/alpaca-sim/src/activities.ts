import type { FillActivity } from './account.js';
import { unprocessable } from './errors.js';

/** Activity types Alpaca documents; the simulator only ever produces FILL, the rest list empty. */
export const ACTIVITY_TYPES = new Set([
  'FILL',
  'TRANS',
  'MISC',
  'ACATC',
  'ACATS',
  'CFEE',
  'CSD',
  'CSW',
  'DIV',
  'DIVCGL',
  'DIVCGS',
  'DIVFEE',
  'DIVFT',
  'DIVNRA',
  'DIVROC',
  'DIVTW',
  'DIVTXEX',
  'FEE',
  'INT',
  'INTNRA',
  'INTTW',
  'JNL',
  'JNLC',
  'JNLS',
  'MA',
  'NC',
  'OPASN',
  'OPEXP',
  'OPXRC',
  'PTC',
  'PTR',
  'REORG',
  'SC',
  'SSO',
  'SSP',
]);

export interface ActivitiesQuery {
  /** Types asked for; undefined means every type. */
  types: ReadonlySet<string> | undefined;
  page_size: number;
  page_token?: string | undefined;
  direction: 'asc' | 'desc';
  after?: string | undefined;
  until?: string | undefined;
  date?: string | undefined;
}

/** Parses "FILL,DIV" into a set of documented types; an unknown one is a 422. */
export function parseActivityTypes(raw: string): Set<string> {
  const types = new Set(
    raw
      .split(',')
      .map((t) => t.trim().toUpperCase())
      .filter((t) => t.length > 0),
  );
  for (const t of types) if (!ACTIVITY_TYPES.has(t)) throw unprocessable(`invalid activity type: ${t}`);
  return types;
}

const DAY_MS = 86_400_000;

/**
 * One page of activities. Ids sort as (time, arrival), so `page_token` — the id of the previous
 * page's last item — selects the items strictly past it in the page's direction: each activity is
 * seen exactly once however the pages fall, even while new fills arrive.
 */
export function pageActivities(all: readonly FillActivity[], q: ActivitiesQuery): FillActivity[] {
  if (q.types && !q.types.has('FILL')) return [];
  const after = q.after !== undefined ? Date.parse(q.after) : undefined;
  const until = q.until !== undefined ? Date.parse(q.until) : undefined;
  const dayStart = q.date !== undefined ? Date.parse(q.date.slice(0, 10)) : undefined;
  const token = q.page_token;
  const picked = all.filter((a) => {
    const t = Date.parse(a.transaction_time);
    if (after !== undefined && !(t > after)) return false;
    if (until !== undefined && !(t < until)) return false;
    if (dayStart !== undefined && !(t >= dayStart && t < dayStart + DAY_MS)) return false;
    if (token !== undefined && !(q.direction === 'desc' ? a.id < token : a.id > token)) return false;
    return true;
  });
  picked.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (q.direction === 'desc') picked.reverse();
  return picked.slice(0, q.page_size);
}
