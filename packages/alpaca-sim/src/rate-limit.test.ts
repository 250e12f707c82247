import { afterEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const A = { 'APCA-API-KEY-ID': 'a', 'APCA-API-SECRET-KEY': 'sa' };
const B = { 'APCA-API-KEY-ID': 'b', 'APCA-API-SECRET-KEY': 'sb' };

let sim: AlpacaSim;
let clock = Date.parse('2026-03-02T15:00:00.250Z');

afterEach(async () => {
  await sim.close();
});

async function start(limit: number) {
  sim = createAlpacaSim({
    rateLimitPerMin: limit,
    now: () => clock,
    accounts: [
      { keyId: 'a', secretKey: 'sa' },
      { keyId: 'b', secretKey: 'sb' },
    ],
  });
  return (await sim.listen()).url;
}

describe('rate limit', () => {
  it('sends X-Ratelimit headers on every answer and 429s past the limit, per key', async () => {
    clock = Date.parse('2026-03-02T15:00:00.250Z');
    const base = await start(3);
    const resetSec = String(Math.ceil((clock + 60_000) / 1000));
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await fetch(`${base}/v2/account`, { headers: A });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('3');
      expect(res.headers.get('x-ratelimit-reset')).toBe(resetSec);
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['2', '1', '0']);
    clock += 20_000;
    const limited = await fetch(`${base}/v2/positions`, { headers: A });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ code: 42910000, message: 'rate limit exceeded' });
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('retry-after')).toBe('41');
    // Another key has its own budget.
    expect((await fetch(`${base}/v2/account`, { headers: B })).status).toBe(200);
    // A fixed window: 60 s after the first call it opens afresh.
    clock += 40_000;
    const again = await fetch(`${base}/v2/account`, { headers: A });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('2');
  });

  it('also limits unauthenticated callers of a key and unknown routes', async () => {
    const base = await start(1);
    expect((await fetch(`${base}/v2/nope`, { headers: A })).status).toBe(404);
    const res = await fetch(`${base}/v2/account`, { headers: { ...A, 'APCA-API-SECRET-KEY': 'bad' } });
    expect(res.status).toBe(429);
    sim.resetRateLimits();
    expect((await fetch(`${base}/v2/account`, { headers: A })).status).toBe(200);
  });
});
