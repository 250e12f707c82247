import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const KEY = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };
type Activity = { id: string; transaction_time: string; order_id: string };

let sim: AlpacaSim;
let base: string;
let clock: number;
const orderIds: string[] = [];

beforeEach(async () => {
  clock = Date.parse('2026-03-02T15:00:00Z');
  sim = createAlpacaSim({ accounts: [{ keyId: 'k', secretKey: 's', cash: '100000' }], now: () => clock });
  base = (await sim.listen()).url;
  orderIds.length = 0;
  // Seven fills: two share a millisecond, so ordering must not rely on time alone.
  for (const [i, dt] of [0, 1000, 1000, 5000, 9000, 60_000, 61_000].entries()) {
    clock = Date.parse('2026-03-02T15:00:00Z') + dt;
    const res = await fetch(`${base}/v2/orders`, {
      method: 'POST',
      headers: KEY,
      body: JSON.stringify({
        symbol: 'SPY',
        qty: String(i + 1),
        side: 'buy',
        type: 'market',
        time_in_force: 'day',
      }),
    });
    orderIds.push(((await res.json()) as { id: string }).id);
  }
});

afterEach(async () => {
  await sim.close();
});

async function page(path: string): Promise<{ status: number; body: Activity[] }> {
  const res = await fetch(base + path, { headers: KEY });
  return { status: res.status, body: (await res.json()) as Activity[] };
}

async function walk(direction: 'asc' | 'desc', pageSize: number): Promise<Activity[]> {
  const seen: Activity[] = [];
  let token: string | undefined;
  for (let guard = 0; guard < 20; guard += 1) {
    const q = new URLSearchParams({
      direction,
      page_size: String(pageSize),
      ...(token ? { page_token: token } : {}),
    });
    const { body } = await page(`/v2/account/activities/FILL?${q}`);
    if (body.length === 0) return seen;
    seen.push(...body);
    token = body.at(-1)?.id;
  }
  throw new Error('paging did not end');
}

describe('GET /v2/account/activities', () => {
  it('pages with page_token through every fill exactly once, newest first by default', async () => {
    const all = await walk('desc', 2);
    expect(all.map((a) => a.order_id)).toEqual([...orderIds].reverse());
    expect(new Set(all.map((a) => a.id)).size).toBe(7);
  });

  it('pages oldest first with direction=asc', async () => {
    const all = await walk('asc', 3);
    expect(all.map((a) => a.order_id)).toEqual(orderIds);
  });

  it('defaults to 100 a page and the same list with or without the FILL path', async () => {
    const { body: plain } = await page('/v2/account/activities');
    const { body: typed } = await page('/v2/account/activities?activity_types=FILL');
    expect(plain).toHaveLength(7);
    expect(typed).toEqual(plain);
    expect((await page('/v2/account/activities/DIV')).body).toEqual([]);
  });

  it('filters by after and until (exclusive)', async () => {
    const q = new URLSearchParams({
      after: '2026-03-02T15:00:01Z',
      until: '2026-03-02T15:01:00Z',
      direction: 'asc',
    });
    const { body } = await page(`/v2/account/activities/FILL?${q}`);
    expect(body.map((a) => a.order_id)).toEqual(orderIds.slice(3, 5));
  });

  it('answers 422 to a page_size over 100 or an unknown activity type', async () => {
    expect((await page('/v2/account/activities?page_size=101')).status).toBe(422);
    expect((await page('/v2/account/activities?page_size=0')).status).toBe(422);
    expect((await page('/v2/account/activities/NOPE')).status).toBe(422);
  });
});
