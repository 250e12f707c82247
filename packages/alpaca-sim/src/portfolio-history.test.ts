import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const KEY = { 'APCA-API-KEY-ID': 'sim-key', 'APCA-API-SECRET-KEY': 'sim-secret' };
const NOW = Date.parse('2026-03-04T18:00:00Z'); // a Wednesday

interface History {
  timestamp: number[];
  equity: number[];
  profit_loss: number[];
  profit_loss_pct: number[];
  base_value: number;
  timeframe: string;
}

let sim: AlpacaSim;
let base: string;

beforeEach(async () => {
  sim = createAlpacaSim({ seed: 7, now: () => NOW });
  base = (await sim.listen()).url;
  sim.setAccount('sim-key', { last_equity: '117000.5' });
});

afterEach(async () => {
  await sim.close();
});

async function history(query: string) {
  const res = await fetch(`${base}/v2/account/portfolio/history?${query}`, { headers: KEY });
  return { status: res.status, body: (await res.json()) as History };
}

describe('GET /v2/account/portfolio/history', () => {
  it('returns daily numbers ending at today’s equity, with last_equity the day before', async () => {
    const { status, body } = await history('period=1M&timeframe=1D');
    expect(status).toBe(200);
    expect(body.timeframe).toBe('1D');
    const n = body.timestamp.length;
    expect(n).toBeGreaterThanOrEqual(20);
    for (const key of ['equity', 'profit_loss', 'profit_loss_pct'] as const) {
      expect(body[key]).toHaveLength(n);
      for (const v of body[key]) expect(typeof v).toBe('number');
    }
    expect(body.timestamp.at(-1)).toBe(Date.parse('2026-03-04T00:00:00Z') / 1000);
    for (const t of body.timestamp) expect([0, 6]).not.toContain(new Date(t * 1000).getUTCDay());
    expect(body.equity.at(-1)).toBe(118197);
    expect(body.equity.at(-2)).toBe(117000.5);
    expect(body.base_value).toBe(body.equity[0]);
    expect(body.profit_loss[0]).toBe(0);
    // Daily P&L is each day's change against the previous close.
    const prev = body.equity.at(-2)!;
    expect(body.profit_loss.at(-1)).toBeCloseTo(118197 - prev, 6);
    expect(body.profit_loss_pct.at(-1)).toBeCloseTo((118197 - prev) / prev, 6);
    for (let i = 1; i < body.equity.length; i++) {
      expect(body.profit_loss_pct[i]).toBeCloseTo(
        (body.equity[i]! - body.equity[i - 1]!) / body.equity[i - 1]!,
        6,
      );
    }
  });

  it('is deterministic, and a shorter period is the tail of a longer one', async () => {
    const month = (await history('period=1M')).body;
    expect((await history('period=1M')).body).toEqual(month);
    const week = (await history('period=1W&timeframe=1D')).body;
    expect(week.equity).toEqual(month.equity.slice(-week.equity.length));
    const other = createAlpacaSim({ seed: 8, now: () => NOW });
    other.setAccount('sim-key', { last_equity: '117000.5' });
    const { url } = await other.listen();
    const res = await fetch(`${url}/v2/account/portfolio/history?period=1M`, { headers: KEY });
    expect(((await res.json()) as History).equity).not.toEqual(month.equity);
    await other.close();
  });

  it('follows the account when its equity moves', async () => {
    sim.driftPrices(10);
    const { body } = await history('period=1W');
    expect(body.equity.at(-1)).toBe(Number(sim.account('sim-key')['equity']));
  });

  it('serves intraday bars for short periods and refuses them for long ones', async () => {
    const day = (await history('period=1D&timeframe=1H')).body;
    expect(day.timestamp).toHaveLength(24);
    expect(day.timestamp[1]! - day.timestamp[0]!).toBe(3600);
    expect((await history('period=1A&timeframe=15Min')).status).toBe(422);
    expect((await history('period=1X')).status).toBe(422);
  });
});
