import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlpacaSim, createAlpacaSim } from './index.js';

const KEY = { 'APCA-API-KEY-ID': 'sim-key', 'APCA-API-SECRET-KEY': 'sim-secret' };
const MONEY = [
  'buying_power',
  'regt_buying_power',
  'non_marginable_buying_power',
  'cash',
  'portfolio_value',
  'equity',
  'last_equity',
  'long_market_value',
  'short_market_value',
  'initial_margin',
  'maintenance_margin',
  'last_maintenance_margin',
  'sma',
] as const;

let sim: AlpacaSim;
let base: string;

async function get(path: string, headers: Record<string, string> = KEY) {
  const res = await fetch(base + path, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function start(options?: Parameters<typeof createAlpacaSim>[0]) {
  sim = createAlpacaSim(options);
  base = (await sim.listen()).url;
}

afterEach(async () => {
  await sim.close();
});

describe('authentication', () => {
  beforeEach(() => start());

  it('answers 401 with Alpaca’s body for a missing, unknown or wrong key pair', async () => {
    const unauthorized = { code: 40110000, message: 'request is not authorized' };
    expect(await get('/v2/account', {})).toEqual({ status: 401, body: unauthorized });
    expect(await get('/v2/account', { ...KEY, 'APCA-API-KEY-ID': 'nobody' })).toEqual({
      status: 401,
      body: unauthorized,
    });
    expect(await get('/v2/positions', { ...KEY, 'APCA-API-SECRET-KEY': 'wrong' })).toEqual({
      status: 401,
      body: unauthorized,
    });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await get('/v2/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 40410000 });
  });
});

describe('GET /v2/account', () => {
  it('emits every money field as a string and omits the removed PDT fields by default', async () => {
    await start();
    const { status, body } = await get('/v2/account');
    expect(status).toBe(200);
    for (const field of MONEY) expect(typeof body[field], field).toBe('string');
    expect(body).toMatchObject({
      status: 'ACTIVE',
      currency: 'USD',
      multiplier: '2',
      trading_blocked: false,
    });
    for (const field of ['pattern_day_trader', 'daytrade_count', 'daytrading_buying_power']) {
      expect(body, field).not.toHaveProperty(field);
    }
    // Default account: 100000 cash + 50 AAPL @ 195.40 + 20 MSFT @ 421.35.
    expect(body['cash']).toBe('100000');
    expect(body['long_market_value']).toBe('18197');
    expect(body['equity']).toBe('118197');
    expect(body['portfolio_value']).toBe('118197');
  });

  it('emits the removed PDT fields when asked to', async () => {
    await start({ includeRemovedPdtFields: true });
    const { body } = await get('/v2/account');
    expect(body['pattern_day_trader']).toBe(false);
    expect(body['daytrade_count']).toBe(0);
    expect(typeof body['daytrading_buying_power']).toBe('string');
  });

  it('emits long decimals and overridden fields verbatim', async () => {
    await start();
    sim.setAccount('sim-key', {
      last_equity: '122011.09751111286868',
      status: 'ACCOUNT_UPDATED',
      trading_blocked: true,
      sma: '0.00000000000000000001',
    });
    const res = await fetch(`${base}/v2/account`, { headers: KEY });
    const text = await res.text();
    expect(text).toContain('"last_equity":"122011.09751111286868"');
    expect(text).toContain('"sma":"0.00000000000000000001"');
    expect(JSON.parse(text)).toMatchObject({ status: 'ACCOUNT_UPDATED', trading_blocked: true });
  });

  it('keeps equity = cash + long + short market value when prices move and cash is set', async () => {
    await start({
      accounts: [
        {
          keyId: 'k',
          secretKey: 's',
          cash: '50000.25',
          positions: [
            { symbol: 'AAPL', qty: '10', avgEntryPrice: '100' },
            { symbol: 'TSLA', qty: '-4', avgEntryPrice: '250', currentPrice: '250' },
          ],
        },
      ],
    });
    const headers = { 'APCA-API-KEY-ID': 'k', 'APCA-API-SECRET-KEY': 's' };
    sim.setPrice('AAPL', '110.10');
    sim.driftPrices(-10, ['TSLA']);
    sim.setAccount('k', { cash: '40000.005' });
    const { body } = await get('/v2/account', headers);
    expect(body['long_market_value']).toBe('1101');
    expect(body['short_market_value']).toBe('-900');
    expect(body['cash']).toBe('40000.005');
    expect(body['equity']).toBe('40201.005');
    const positions = sim.positions('k');
    expect(positions.find((p) => p['symbol'] === 'TSLA')).toMatchObject({
      side: 'short',
      qty: '-4',
      current_price: '225',
      lastday_price: '250',
      unrealized_pl: '100',
      change_today: '-0.1',
    });
  });

  it('serves several accounts, one per key pair, from one simulator', async () => {
    await start({
      accounts: [
        { keyId: 'a', secretKey: 'sa', cash: '1000' },
        { keyId: 'b', secretKey: 'sb', equity: '2500.5' },
      ],
    });
    expect(
      (await get('/v2/account', { 'APCA-API-KEY-ID': 'a', 'APCA-API-SECRET-KEY': 'sa' })).body['cash'],
    ).toBe('1000');
    expect(
      (await get('/v2/account', { 'APCA-API-KEY-ID': 'b', 'APCA-API-SECRET-KEY': 'sb' })).body['equity'],
    ).toBe('2500.5');
    expect((await get('/v2/account', { 'APCA-API-KEY-ID': 'a', 'APCA-API-SECRET-KEY': 'sb' })).status).toBe(
      401,
    );
  });

  it('sets fields over HTTP through /_sim/accounts/:keyId', async () => {
    await start();
    const res = await fetch(`${base}/_sim/accounts/sim-key`, {
      method: 'POST',
      body: JSON.stringify({ last_equity: '122011.09751111286868', account_blocked: true }),
    });
    expect(res.status).toBe(200);
    const { body } = await get('/v2/account');
    expect(body['last_equity']).toBe('122011.09751111286868');
    expect(body['account_blocked']).toBe(true);
    const bad = await fetch(`${base}/_sim/accounts/sim-key`, { method: 'POST', body: '{"cash":12.5}' });
    expect(bad.status).toBe(422);
  });
});
