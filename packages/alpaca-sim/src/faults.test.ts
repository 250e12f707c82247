import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const KEY = { 'APCA-API-KEY-ID': 'sim-key', 'APCA-API-SECRET-KEY': 'sim-secret' };

let sim: AlpacaSim;
let base: string;

beforeEach(async () => {
  sim = createAlpacaSim({
    accounts: [
      { keyId: 'sim-key', secretKey: 'sim-secret' },
      { keyId: 'other', secretKey: 'other-secret' },
    ],
  });
  base = (await sim.listen()).url;
});

afterEach(async () => {
  await sim.close();
});

const get = (path: string, init: RequestInit = {}) => fetch(base + path, { headers: KEY, ...init });

describe('faults', () => {
  it('delays answers by the injected latency', async () => {
    sim.setFault({ kind: 'latency', ms: 300, endpoint: 'account', count: 1 });
    const t0 = performance.now();
    expect((await get('/v2/account')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(280);
    await get('/v2/account');
    expect(sim.callLog().map((c) => c.fault)).toEqual(['latency', null]);
  });

  it('answers the chosen 5xx status', async () => {
    sim.setFault({ kind: 'http_error', status: 503 });
    const res = await get('/v2/positions');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 50010000 });
    expect(res.headers.get('x-ratelimit-limit')).toBe('200');
  });

  it('hangs until the client gives up, and close() still ends promptly', async () => {
    sim.setFault({ kind: 'hang', endpoint: 'account' });
    await expect(get('/v2/account', { signal: AbortSignal.timeout(150) })).rejects.toThrow(/timeout|abort/i);
    const pending = get('/v2/account').catch((err: unknown) => err);
    // Wait until the second request is really hanging in the server (not a fixed sleep: slow CI).
    while (sim.callLog().length < 2) await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await sim.close();
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
    expect(sim.callLog().map((c) => c.status)).toEqual([null, null]);
  });

  it('sends a truncated JSON body with a 200', async () => {
    sim.setFault({ kind: 'malformed_json', endpoint: 'account', count: 1 });
    const res = await get('/v2/account');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"id":')).toBe(true);
  });

  it('answers 401 and 429 on demand', async () => {
    sim.setFault({ kind: 'unauthorized', count: 1 });
    const unauthorized = await get('/v2/account');
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ code: 40110000, message: 'request is not authorized' });
    sim.setFault({ kind: 'rate_limited', retryAfterSec: 7, count: 1 });
    const limited = await get('/v2/account');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect((await get('/v2/account')).status).toBe(200);
  });

  it('applies a count-limited fault to exactly that many matching calls', async () => {
    sim.setFault({ kind: 'http_error', status: 500, count: 2, endpoint: 'account' });
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await get('/v2/account')).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(sim.faults()).toEqual([]);
  });

  it('targets one endpoint and one key, and clears on demand', async () => {
    const id = sim.setFault({ kind: 'http_error', status: 502, endpoint: 'positions', keyId: 'sim-key' });
    expect((await get('/v2/positions')).status).toBe(502);
    expect((await get('/v2/account')).status).toBe(200);
    const other = { 'APCA-API-KEY-ID': 'other', 'APCA-API-SECRET-KEY': 'other-secret' };
    expect((await get('/v2/positions', { headers: other })).status).toBe(200);
    sim.clearFaults(id);
    expect((await get('/v2/positions')).status).toBe(200);
  });

  it('is controlled over HTTP under /_sim/faults', async () => {
    const created = await fetch(`${base}/_sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'http_error', status: 504, endpoint: 'orders' }),
    });
    expect(created.status).toBe(201);
    const order = { symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' };
    expect((await get('/v2/orders', { method: 'POST', body: JSON.stringify(order) })).status).toBe(504);
    expect((await fetch(`${base}/_sim/faults`)).status).toBe(200);
    const bad = await fetch(`${base}/_sim/faults`, {
      method: 'POST',
      body: '{"kind":"http_error","status":404}',
    });
    expect(bad.status).toBe(422);
    const cleared = await fetch(`${base}/_sim/faults`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ cleared: 1 });
    expect((await get('/v2/orders', { method: 'POST', body: JSON.stringify(order) })).status).toBe(200);
  });

  it('rejects an invalid fault in process', () => {
    expect(() => sim.setFault({ kind: 'latency', ms: -1 })).toThrow(RangeError);
  });
});
