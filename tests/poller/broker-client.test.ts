import {
  BrokerError,
  type BrokerErrorKind,
  type BrokerRequestEvent,
  createAlpacaClient,
  RedisRateLimiter,
} from '@friren/alpaca';
import { type AlpacaSim, createAlpacaSim, type SimFault } from '@friren/alpaca-sim';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, newRedis, testPrefix } from './support.js';

const KEY = 'sim-key';
const SECRET = 'sim-secret';
const prefix = testPrefix('poller-client');
let sim: AlpacaSim;
let redis: Redis;
let events: BrokerRequestEvent[] = [];

beforeAll(async () => {
  sim = createAlpacaSim();
  await sim.listen(0);
  redis = newRedis();
});

afterEach(() => {
  sim.clearFaults();
  sim.resetCalls();
  events = [];
});

afterAll(async () => {
  await sim?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
});

const client = (opts: { timeoutMs?: number; limiter?: RedisRateLimiter; baseUrl?: string } = {}) =>
  createAlpacaClient({
    baseUrl: opts.baseUrl ?? sim.url!,
    keyId: KEY,
    secretKey: SECRET,
    timeoutMs: opts.timeoutMs ?? 2_000,
    ...(opts.limiter ? { limiter: opts.limiter } : {}),
    maxRateLimitWaitMs: 0,
    onRequest: (e) => events.push(e),
  });

async function failure(p: Promise<unknown>): Promise<BrokerError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BrokerError);
  return error as BrokerError;
}

describe('Alpaca client (official SDK transport) against the simulator', () => {
  it('keeps money exactly as sent, tolerates unknown fields and the removed PDT fields', async () => {
    sim.setAccount(KEY, { equity: '122011.09751111286868', some_new_field: { nested: true } });
    const account = await client().getAccount();
    expect(account.equity).toBe('122011.09751111286868');
    expect(account['some_new_field']).toEqual({ nested: true });
    expect(account.pattern_day_trader).toBeUndefined();
    expect(account.daytrade_count).toBeUndefined();
    expect(typeof account.buying_power).toBe('string');
    const positions = await client().getPositions();
    expect(positions.map((p) => p.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(events.map((e) => [e.endpoint, e.outcome, e.status])).toEqual([
      ['account', 'ok', 200],
      ['positions', 'ok', 200],
    ]);
  });

  it('reports when each request went out, before the broker received it', async () => {
    const before = Date.now();
    await client().getAccount();
    const arrived = sim.callLog().at(-1)!;
    expect(arrived.endpoint).toBe('account');
    expect(events).toHaveLength(1);
    expect(events[0]!.sentAt).toBeGreaterThanOrEqual(before);
    expect(events[0]!.sentAt).toBeLessThanOrEqual(arrived.at);
  });

  it('lists fill activities across pages with page_token', async () => {
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${sim.url}/v2/orders`, {
        method: 'POST',
        headers: {
          'APCA-API-KEY-ID': KEY,
          'APCA-API-SECRET-KEY': SECRET,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day' }),
      });
      expect(res.status).toBe(200);
    }
    const all = await client().listFillActivities();
    sim.resetCalls();
    const fills = await client().listFillActivities({ pageSize: 2 });
    expect(fills).toEqual(all);
    expect(new Set(fills.map((f) => f.id)).size).toBe(fills.length);
    const ours = fills.filter((f) => f.symbol === 'AAPL' && f.qty === '1');
    expect(ours).toHaveLength(5);
    expect(ours.every((f) => /^\d+(\.\d+)?$/.test(f.price))).toBe(true);
    // Oldest first: transaction times never go back.
    const times = fills.map((f) => Date.parse(f.transaction_time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Full pages of 2, then the short (possibly empty) last one.
    const pages = sim.callLog().filter((c) => c.endpoint === 'activities');
    expect(pages).toHaveLength(Math.floor(fills.length / 2) + 1);
  });

  it('reads the daily portfolio history', async () => {
    const history = await client().getPortfolioHistory({ period: '1M', timeframe: '1D' });
    expect(history.timestamp.length).toBeGreaterThan(5);
    expect(history.equity).toHaveLength(history.timestamp.length);
    expect(history.timeframe).toBe('1D');
  });

  it.each<[string, BrokerErrorKind, SimFault, number | undefined]>([
    ['5xx', 'server', { kind: 'http_error', status: 502 }, 502],
    ['a hung request', 'timeout', { kind: 'hang' }, undefined],
    ['a body that is not JSON', 'malformed', { kind: 'malformed_json' }, 200],
    ['401', 'auth', { kind: 'unauthorized' }, 401],
    // 403 and other 4xx: see classify.test.ts in @friren/alpaca (the simulator only injects 5xx).
  ])('classifies %s as %s', async (_name, kind, fault, status) => {
    sim.setFault(fault);
    const e = await failure(client({ timeoutMs: 300 }).getAccount());
    expect(e.kind).toBe(kind);
    expect(e.status).toBe(status);
    expect(e.endpoint).toBe('account');
    expect(e.message).not.toContain(SECRET);
    expect(events.at(-1)?.outcome).toBe(kind);
  });

  it('classifies a body of the wrong shape as malformed, naming the field', async () => {
    // `status` is relied on (health); an odd type there is a malformed body.
    sim.setAccount(KEY, { status: 42 });
    const e = await failure(client().getAccount());
    expect(e.kind).toBe('malformed');
    expect(e.message).toContain('status');
    sim.setAccount(KEY, { status: null });
  });

  it('reads a body whose passed-on or unused fields have odd types', async () => {
    sim.setAccount(KEY, { daytrade_count: 'several', account_number: 10203 });
    const account = await client().getAccount();
    expect(account.daytrade_count).toBeUndefined();
    expect(account['account_number']).toBe(10203);
    sim.setAccount(KEY, { daytrade_count: '0' });
    expect((await client().getAccount()).daytrade_count).toBe(0);
    sim.setAccount(KEY, { daytrade_count: null, account_number: null });
  });

  it('classifies an unreachable broker as network', async () => {
    const e = await failure(client({ baseUrl: 'http://127.0.0.1:1' }).getAccount());
    expect(e.kind).toBe('network');
  });

  it('a 429 carries the reset time and blocks the shared limiter until then', async () => {
    const limiter = new RedisRateLimiter({ redis, prefix, keyId: 'k-429', limit: 100 });
    sim.setFault({ kind: 'rate_limited', retryAfterSec: 3, count: 1 });
    const before = Date.now();
    const e = await failure(client({ limiter }).getAccount());
    expect(e.kind).toBe('rate-limited');
    expect(e.resetAt).toBeGreaterThanOrEqual(before + 3_000);
    expect(e.resetAt).toBeLessThanOrEqual(Date.now() + 3_000);
    // The next caller is refused locally, without reaching the broker.
    const local = await failure(client({ limiter }).getAccount());
    expect(local.kind).toBe('rate-limited');
    expect(local.local).toBe(true);
    expect(local.resetAt).toBeGreaterThan(before + 2_500);
    expect(sim.callLog()).toHaveLength(1);
  });

  it('X-Ratelimit-Remaining: 0 stops further calls until the reset', async () => {
    const tight = createAlpacaSim({ rateLimitPerMin: 2 });
    await tight.listen(0);
    try {
      const limiter = new RedisRateLimiter({ redis, prefix, keyId: 'k-remaining', limit: 100 });
      const c = client({ limiter, baseUrl: tight.url! });
      await c.getAccount();
      await c.getAccount(); // answered with Remaining: 0
      const e = await failure(c.getAccount());
      expect(e.kind).toBe('rate-limited');
      expect(e.local).toBe(true);
      expect(tight.callLog()).toHaveLength(2);
      expect((await limiter.state()).waitMs).toBeGreaterThan(1_000);
    } finally {
      await tight.close();
    }
  });
});
