import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const KEY = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };

let sim: AlpacaSim;
let base: string;

beforeEach(async () => {
  sim = createAlpacaSim({
    accounts: [
      {
        keyId: 'k',
        secretKey: 's',
        cash: '10000.00',
        positions: [{ symbol: 'AAPL', qty: '10', avgEntryPrice: '150', currentPrice: '195.40' }],
      },
    ],
    prices: { MSFT: '421.35' },
  });
  base = (await sim.listen()).url;
});

afterEach(async () => {
  await sim.close();
});

async function order(body: unknown) {
  const res = await fetch(`${base}/v2/orders`, {
    method: 'POST',
    headers: { ...KEY, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const market = (symbol: string, side: 'buy' | 'sell', qty: string) => ({
  symbol,
  qty,
  side,
  type: 'market',
  time_in_force: 'day',
});

describe('POST /v2/orders', () => {
  it('fills a market buy at the simulated price and moves cash and the position exactly', async () => {
    const res = await order({ ...market('AAPL', 'buy', '0.123456789'), client_order_id: 'mine-1' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      client_order_id: 'mine-1',
      status: 'filled',
      filled_qty: '0.123456789',
      filled_avg_price: '195.40',
      symbol: 'AAPL',
      side: 'buy',
    });
    // 0.123456789 × 195.40 = 24.1234565706 exactly.
    expect(sim.account('k')['cash']).toBe('9975.8765434294');
    const aapl = sim.positions('k').find((p) => p['symbol'] === 'AAPL');
    expect(aapl?.['qty']).toBe('10.123456789');
    // (10 × 150 + 24.1234565706) / 10.123456789, rounded to 12 decimals.
    expect(aapl?.['avg_entry_price']).toBe('150.553658531609');
  });

  it('sells part of a position at an unchanged entry price and closes it to zero', async () => {
    expect((await order(market('AAPL', 'sell', '4'))).status).toBe(200);
    expect(sim.account('k')['cash']).toBe('10781.60');
    expect(sim.positions('k')[0]).toMatchObject({ qty: '6', avg_entry_price: '150' });
    expect((await order(market('AAPL', 'sell', '6'))).status).toBe(200);
    expect(sim.positions('k')).toEqual([]);
    expect(sim.account('k')['cash']).toBe('11954.00');
    expect(sim.account('k')['equity']).toBe('11954.00');
  });

  it('buys by notional without spending more than the notional', async () => {
    const res = await order({
      symbol: 'MSFT',
      notional: '1000',
      side: 'buy',
      type: 'market',
      time_in_force: 'day',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ notional: '1000', qty: null, filled_qty: '2.37332384' });
    // qty = 1000 / 421.35 cut to 9 decimals; it costs 999.999999984, never more than 1000.
    expect(sim.account('k')['cash']).toBe('9000.000000016');
  });

  it('refuses a buy beyond buying power with 403 and changes nothing', async () => {
    // Buying power = (equity − initial margin) × 2 = (11954 − 977) × 2 = 21954.
    const res = await order(market('MSFT', 'buy', '100'));
    expect(res).toEqual({ status: 403, body: { code: 40310000, message: 'insufficient buying power' } });
    expect(sim.account('k')['cash']).toBe('10000.00');
    expect(sim.positions('k')).toHaveLength(1);
  });

  it('refuses a short sale when shorting is disabled', async () => {
    sim.setAccount('k', { shorting_enabled: false });
    const res = await order(market('AAPL', 'sell', '11'));
    expect(res.status).toBe(403);
    expect(res.body['message']).toContain('insufficient qty');
  });

  it('refuses orders from a trading-blocked account', async () => {
    sim.setAccount('k', { trading_blocked: true });
    expect((await order(market('AAPL', 'buy', '1'))).status).toBe(403);
  });

  it('answers 422 to bad bodies', async () => {
    for (const body of [
      '{not json',
      { symbol: 'AAPL', side: 'buy', type: 'market', time_in_force: 'day' },
      { ...market('AAPL', 'buy', '1'), notional: '10' },
      { ...market('AAPL', 'buy', '-1') },
      { ...market('AAPL', 'hold' as 'buy', '1') },
      { ...market('AAPL', 'buy', '1'), type: 'limit' },
    ]) {
      const res = await order(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(typeof res.body['message']).toBe('string');
    }
    expect(sim.account('k')['cash']).toBe('10000.00');
  });

  it('rejects a reused client_order_id', async () => {
    expect((await order({ ...market('AAPL', 'buy', '1'), client_order_id: 'x' })).status).toBe(200);
    expect((await order({ ...market('AAPL', 'buy', '1'), client_order_id: 'x' })).status).toBe(422);
  });

  it('rests a limit order away from the market without moving money', async () => {
    const res = await order({ ...market('AAPL', 'buy', '1'), type: 'limit', limit_price: '100' });
    expect(res.body).toMatchObject({ status: 'new', filled_qty: '0', limit_price: '100' });
    expect(sim.account('k')['cash']).toBe('10000.00');
    const fill = await order({ ...market('AAPL', 'buy', '1'), type: 'limit', limit_price: '200' });
    expect(fill.body).toMatchObject({ status: 'filled', filled_avg_price: '195.40' });
    const got = await fetch(`${base}/v2/orders/${String(res.body['id'])}`, { headers: KEY });
    expect(((await got.json()) as { status: string }).status).toBe('new');
  });

  it('records a FILL activity per fill', async () => {
    const res = await order(market('MSFT', 'buy', '2'));
    const acts = (await (
      await fetch(`${base}/v2/account/activities/FILL`, { headers: KEY })
    ).json()) as Record<string, unknown>[];
    expect(acts[0]).toMatchObject({
      activity_type: 'FILL',
      type: 'fill',
      order_id: res.body['id'],
      symbol: 'MSFT',
      qty: '2',
      cum_qty: '2',
      leaves_qty: '0',
      price: '421.35',
      side: 'buy',
      order_status: 'filled',
    });
  });
});
