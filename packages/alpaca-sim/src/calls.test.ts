import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim, type SimCallRecord } from './index.js';

const A = { 'APCA-API-KEY-ID': 'a', 'APCA-API-SECRET-KEY': 'sa' };
const B = { 'APCA-API-KEY-ID': 'b', 'APCA-API-SECRET-KEY': 'sb' };

let sim: AlpacaSim;
let base: string;
let clock = 0;

beforeEach(async () => {
  clock = Date.parse('2026-03-02T15:00:00Z');
  sim = createAlpacaSim({
    now: () => clock,
    accounts: [
      { keyId: 'a', secretKey: 'sa' },
      { keyId: 'b', secretKey: 'sb' },
    ],
  });
  base = (await sim.listen()).url;
});

afterEach(async () => {
  await sim.close();
});

describe('call counting', () => {
  it('counts calls per endpoint and per key, and logs each with its status', async () => {
    await fetch(`${base}/v2/account`, { headers: A });
    clock += 1000;
    await fetch(`${base}/v2/account`, { headers: A });
    await fetch(`${base}/v2/positions`, { headers: B });
    clock += 5000;
    await fetch(`${base}/v2/account/activities/FILL`, { headers: { ...B, 'APCA-API-SECRET-KEY': 'x' } });
    await fetch(`${base}/_sim/calls`); // the control plane is not counted

    expect(sim.calls()).toEqual({
      total: 4,
      byEndpoint: { account: 2, positions: 1, activities: 1 },
      byKey: {
        a: { total: 2, byEndpoint: { account: 2 } },
        b: { total: 2, byEndpoint: { positions: 1, activities: 1 } },
      },
    });
    const log = sim.callLog();
    expect(log.map((c) => [c.method, c.path, c.endpoint, c.keyId, c.status])).toEqual([
      ['GET', '/v2/account', 'account', 'a', 200],
      ['GET', '/v2/account', 'account', 'a', 200],
      ['GET', '/v2/positions', 'positions', 'b', 200],
      ['GET', '/v2/account/activities/FILL', 'activities', 'b', 401],
    ]);
    const t0 = Date.parse('2026-03-02T15:00:00Z');
    const inFirstTwoSeconds = log.filter((c) => c.at >= t0 && c.at < t0 + 2000);
    expect(inFirstTwoSeconds).toHaveLength(3);
  });

  it('serves and resets counts over HTTP', async () => {
    await fetch(`${base}/v2/account`, { headers: A });
    const res = await fetch(`${base}/_sim/calls`);
    const body = (await res.json()) as { counts: { total: number }; log: SimCallRecord[] };
    expect(body.counts.total).toBe(1);
    expect(body.log[0]).toMatchObject({ endpoint: 'account', keyId: 'a', status: 200, fault: null });
    expect((await fetch(`${base}/_sim/calls`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.calls().total).toBe(0);
    expect(sim.callLog()).toEqual([]);
  });

  it('marks calls shaped by a fault', async () => {
    sim.setFault({ kind: 'http_error', status: 500, count: 1 });
    await fetch(`${base}/v2/account`, { headers: A });
    expect(sim.callLog()[0]).toMatchObject({ status: 500, fault: 'http_error' });
  });
});
