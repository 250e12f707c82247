import { randomUUID } from 'node:crypto';
import { loadConfig } from '@friren/config';
import { encodePerformance, type PerformanceSummary, redisKeys } from '@friren/contracts';
import { createMetrics } from '@friren/observability';
import { type Orchestrator, start } from '@friren/orchestrator';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { deletePrefix, pollerWrite, SHARED_REDIS_URL, sampleSnapshot } from './support.js';

const PREFIX = `test-orch-http-${randomUUID().slice(0, 8)}`;
const keys = redisKeys(PREFIX);
const TOKEN = 'test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const JSON_HEADERS = { 'content-type': 'application/json', ...AUTH };

let redis: Redis;
let app: Orchestrator;

const summary = (pnl: string, sharpe: number | null): PerformanceSummary => ({
  total_pnl: pnl,
  realized_pnl: '800.5',
  total_return_pct: 1.2,
  sharpe_ratio: sharpe,
  sortino_ratio: null,
  max_drawdown_pct: 4.5,
  calmar_ratio: null,
  win_rate_pct: 60,
  profit_factor: 1.8,
  expectancy: '12.5',
  trades_count: 10,
  as_of: '2026-03-02T15:00:00.000Z',
});

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const res = await fetch(`${app.url}${path}`, { method, ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Non-JSON (the dashboard's HTML, metrics text) stays text.
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown> };
}

const riskCheck = (body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
  call('POST', '/v1/accounts/main/risk-check', { headers, body: JSON.stringify(body) });

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  await pollerWrite(redis, keys, sampleSnapshot('main', { version: 3 }), {
    publish: false,
    positions: [
      { symbol: 'AAPL', qty: '100', side: 'long', market_value: '19000', unrealized_pl: '1500.25' },
    ],
  });
  await redis.hset(
    keys.performance('main'),
    encodePerformance({
      overall: summary('2300.75', 1.4),
      strategies: { momentum: summary('2000', Number.NaN), 'mean:rev': summary('300.75', null) },
      version: 1,
    }),
  );
  await redis.hset(keys.poller('main'), {
    leader: 'p1',
    consecutive_failures: '0',
    broker_calls_total: '12',
  });
  await redis.hset(keys.poller('sick'), {
    consecutive_failures: '4',
    last_error: 'timeout',
    last_error_at: '1',
  });
  await pollerWrite(redis, keys, sampleSnapshot('sick'), { publish: false });
  // Ten minutes ahead of every clock here.
  await pollerWrite(redis, keys, sampleSnapshot('skew', { fetched_at: Date.now() + 600_000 }), {
    publish: false,
  });
  await pollerWrite(redis, keys, sampleSnapshot('junk'), { publish: false });
  await redis.hset(keys.performance('junk'), {
    ...encodePerformance({ overall: summary('10', 1), strategies: { s: summary('10', 1) }, version: 1 }),
    total_pnl: 'garbage',
    'strategy:s:win_rate_pct': 'lots',
  });
  const config = loadConfig({
    REDIS_URL: SHARED_REDIS_URL,
    FRIREN_PREFIX: PREFIX,
    FRIREN_ACCOUNTS: 'main,sick,empty,skew,junk',
    FRIREN_API_TOKEN: TOKEN,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
  app = await start(config, {
    registry: createMetrics({ defaultMetrics: false }).registry,
    risk: { maxPositionPct: 25, dailyLossLimit: '5000' },
  });
});

afterAll(async () => {
  await app?.close();
  await deletePrefix(redis, PREFIX);
  await redis.quit();
});

describe('GET /v1/accounts/:alias', () => {
  it('serves exactly the docs/CONTRACT.md §5 shape, money as decimal strings', async () => {
    const { status, body } = await call('GET', '/v1/accounts/main');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual([
      'account',
      'freshness',
      'health',
      'performance',
      'pnl',
      'snapshot',
      'warnings',
    ]);
    expect(body.account).toBe('main');
    expect(body.snapshot).toMatchObject({
      equity: '101000.50',
      cash: '40000.25',
      buying_power: '80000.5',
      version: 3,
    });
    expect(Object.keys(body.freshness as object).sort()).toEqual(['age_ms', 'skewed', 'source', 'stale']);
    expect(body.freshness).toMatchObject({ source: 'memory', stale: false, skewed: false });
    expect(body.warnings).toEqual([]);
    expect(body.pnl).toEqual({
      total: '2300.75',
      realized: '800.5',
      unrealized: '1500.25',
      day: '1000.5',
      day_pct: 1.0005,
    });
    const perf = body.performance as {
      overall: Record<string, unknown>;
      strategies: Record<string, Record<string, unknown>>;
    };
    expect(perf.overall).toMatchObject({
      total_pnl: '2300.75',
      sharpe_ratio: 1.4,
      calmar_ratio: null,
      trades_count: 10,
    });
    // Non-finite ratios reach the client as null.
    expect(perf.strategies.momentum?.sharpe_ratio).toBeNull();
    expect(Object.keys(perf.strategies).sort()).toEqual(['mean:rev', 'momentum']);
    expect(body.health).toEqual({ healthy: true, reasons: [] });
  });

  it('follows pub/sub updates', async () => {
    await pollerWrite(
      redis,
      keys,
      sampleSnapshot('main', { version: 4, equity: '99000', last_equity: '100000' }),
    );
    await waitUntil(
      async () =>
        ((await call('GET', '/v1/accounts/main')).body.snapshot as { version: number }).version === 4,
    );
    const { body } = await call('GET', '/v1/accounts/main');
    expect(body.pnl).toMatchObject({ day: '-1000', day_pct: -1 });
  });

  it('labels a snapshot dated ten minutes ahead as skewed, not fresh, until a correctly timed write replaces it', async () => {
    const skewed = await call('GET', '/v1/accounts/skew');
    expect(skewed.status).toBe(200);
    expect(skewed.body.freshness).toMatchObject({ source: 'redis', stale: true, skewed: true });
    expect((skewed.body.freshness as { age_ms: number }).age_ms).toBeLessThan(-590_000);
    expect((skewed.body.health as { reasons: string[] }).reasons).toEqual([
      expect.stringMatching(/^clock_skew: the snapshot is dated \d+ ms ahead of this clock/),
    ]);
    const health = await call('GET', '/v1/accounts/skew/health');
    expect(health.status).toBe(503);

    await pollerWrite(redis, keys, sampleSnapshot('skew', { version: 2, fetched_at: Date.now() }));
    await waitUntil(
      async () =>
        ((await call('GET', '/v1/accounts/skew')).body.snapshot as { version: number }).version === 2,
    );
    const fixed = await call('GET', '/v1/accounts/skew');
    expect(fixed.body.freshness).toMatchObject({ stale: false, skewed: false });
    expect((fixed.body.freshness as { age_ms: number }).age_ms).toBeGreaterThanOrEqual(0);
    expect((await call('GET', '/v1/accounts/skew/health')).status).toBe(200);
  });

  it('drops a performance hash with an invalid field and says which fields', async () => {
    const { status, body } = await call('GET', '/v1/accounts/junk');
    // The snapshot is fine, so the view is served; the performance figures are not.
    expect(status).toBe(200);
    expect(body.performance).toBeNull();
    expect(body.pnl).toMatchObject({ total: null, realized: null });
    expect(JSON.stringify(body)).not.toContain('garbage');
    expect(body.warnings).toEqual([
      'performance_invalid: total_pnl: must be a decimal string; strategy:s:win_rate_pct: must be a finite number or null',
    ]);
  });

  it('answers 400 naming the field for a malformed alias, 404 for one not served', async () => {
    const bad = await call('GET', '/v1/accounts/NOT_VALID');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request', issues: [{ field: 'alias' }] });
    const unknown = await call('GET', '/v1/accounts/nobody');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('not_found');
    expect((await call('GET', '/v1/nothing-here')).status).toBe(404);
  });

  it('answers 503 with the same shape when no snapshot exists', async () => {
    const { status, body } = await call('GET', '/v1/accounts/empty');
    expect(status).toBe(503);
    expect(body).toMatchObject({ snapshot: null, freshness: { source: null, age_ms: null, stale: true } });
  });
});

describe('GET /v1/accounts/:alias/health and /stats', () => {
  it('is 200 when healthy and 503 with reasons when not', async () => {
    expect(await call('GET', '/v1/accounts/main/health')).toMatchObject({
      status: 200,
      body: { healthy: true, reasons: [] },
    });
    const sick = await call('GET', '/v1/accounts/sick/health');
    expect(sick.status).toBe(503);
    expect(sick.body.reasons).toEqual(['poller_failing: 4 consecutive broker failures (last: timeout)']);
  });

  it('reports session statistics', async () => {
    const { status, body } = await call('GET', '/v1/accounts/main/stats');
    expect(status).toBe(200);
    expect(body).toMatchObject({ account: 'main', broker_calls_total: 12 });
    expect((body.reads as Record<string, number>).memory).toBeGreaterThan(0);
  });
});

describe('POST /v1/accounts/:alias/risk-check', () => {
  it('refuses a missing or wrong token with 401 before reading the body', async () => {
    const missing = await riskCheck({ nonsense: true }, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="friren"');
    expect(missing.body.error).toBe('unauthorized');
    const wrong = await riskCheck({}, { 'content-type': 'application/json', authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const scheme = await riskCheck({}, { 'content-type': 'application/json', authorization: TOKEN });
    expect(scheme.status).toBe(401);
  });

  it('checks an order', async () => {
    const ok = await riskCheck({ symbol: 'MSFT', side: 'buy', quantity: '10', price: '400.25' });
    expect(ok).toMatchObject({ status: 200, body: { allowed: true, reasons: [] } });
    const tooBig = await riskCheck({ symbol: 'AAPL', side: 'buy', quantity: 100, price: 190 });
    expect(tooBig.status).toBe(200);
    expect(tooBig.body.allowed).toBe(false);
    expect((tooBig.body.reasons as string[])[0]).toMatch(/^concentration: AAPL exposure would be 38000/);
  });

  it.each([
    [{ side: 'buy', quantity: '1', price: '1' }, ['symbol']],
    [{ symbol: 'AAPL', side: 'short', quantity: '1', price: '1' }, ['side']],
    [{ symbol: 'AAPL', side: 'buy', quantity: '0', price: '1' }, ['quantity']],
    [{ symbol: 'AAPL', side: 'buy', quantity: '1.0000000001', price: '1' }, ['quantity']],
    [{ symbol: 'AAPL', side: 'buy', quantity: '1', price: 'NaN' }, ['price']],
    [{ symbol: 'AAPL', side: 'buy', quantity: '1', price: '1', leverage: 4 }, ['leverage']],
    [{ symbol: 'aapl', side: 'buy', quantity: [], price: {} }, ['symbol', 'quantity', 'price']],
    [[], ['(payload)']],
    ['just a string', ['(payload)']],
  ])('answers 400 naming the fields for %j', async (body, fields) => {
    const res = await riskCheck(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect((res.body.issues as { field: string }[]).map((i) => i.field)).toEqual(fields);
  });

  it('answers 4xx, never 500, for broken requests', async () => {
    const notJson = await call('POST', '/v1/accounts/main/risk-check', {
      headers: JSON_HEADERS,
      body: '{"symbol":',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ error: 'bad_request', issues: [{ field: '(body)' }] });
    const empty = await call('POST', '/v1/accounts/main/risk-check', { headers: JSON_HEADERS, body: '' });
    expect(empty.status).toBe(400);
    const text = await call('POST', '/v1/accounts/main/risk-check', {
      headers: { 'content-type': 'text/plain', ...AUTH },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const huge = await riskCheck({ symbol: 'A'.repeat(100_000), side: 'buy', quantity: 1, price: 1 });
    expect(huge.status).toBe(413);
    const proto = await call('POST', '/v1/accounts/main/risk-check', {
      headers: JSON_HEADERS,
      body: '{"__proto__":{"x":1},"symbol":"AAPL","side":"buy","quantity":1,"price":1}',
    });
    expect(proto.status).toBe(400);
  });

  it('never answers 500 to arbitrary JSON bodies or aliases (fuzz)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string({ maxLength: 40 }), async (body, alias) => {
        const res = await call('POST', `/v1/accounts/${encodeURIComponent(alias) || 'x'}/risk-check`, {
          headers: JSON_HEADERS,
          body: JSON.stringify(body),
        });
        expect([200, 400, 404]).toContain(res.status);
        const got = await call('GET', `/v1/accounts/${encodeURIComponent(alias) || 'x'}`);
        expect([200, 400, 404, 503]).toContain(got.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe('POST /v1/accounts/:alias/refresh', () => {
  it('publishes a refresh request for the poller (token required)', async () => {
    const listener = redis.duplicate();
    const got: string[] = [];
    listener.on('message', (_c: string, m: string) => got.push(m));
    await listener.subscribe(keys.refreshChannel('main'));
    try {
      expect((await call('POST', '/v1/accounts/main/refresh')).status).toBe(401);
      const res = await call('POST', '/v1/accounts/main/refresh', { headers: AUTH });
      expect(res).toMatchObject({ status: 202, body: { requested: true, receivers: 1 } });
      const withReason = await call('POST', '/v1/accounts/main/refresh', {
        headers: JSON_HEADERS,
        body: JSON.stringify({ reason: 'crash' }),
      });
      expect(withReason.status).toBe(202);
      await waitUntil(() => got.length === 2);
      expect(JSON.parse(got[1]!)).toMatchObject({ kind: 'refresh', account: 'main', reason: 'crash' });
      const bad = await call('POST', '/v1/accounts/main/refresh', {
        headers: JSON_HEADERS,
        body: '{"why":1}',
      });
      expect(bad.status).toBe(400);
    } finally {
      await listener.quit();
    }
  });
});

describe('admin and ops routes', () => {
  it('serves the BullMQ dashboard behind the token (bearer or basic)', async () => {
    const anon = await call('GET', '/admin/queues');
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toBe('Basic realm="friren"');
    const api = await call('GET', '/admin/queues/api/queues', { headers: AUTH });
    expect(api.status).toBe(200);
    expect(JSON.stringify(api.body)).toContain('trades');
    const basic = `Basic ${Buffer.from(`ops:${TOKEN}`).toString('base64')}`;
    const page = await call('GET', '/admin/queues', { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(String(page.body)).toContain('<html');
    const wrongBasic = `Basic ${Buffer.from('ops:nope').toString('base64')}`;
    expect((await call('GET', '/admin/queues', { headers: { authorization: wrongBasic } })).status).toBe(401);
  });

  it('serves the dashboard read-only: its write routes are refused even with the token', async () => {
    const clean = await call('PUT', '/admin/queues/api/queues/trades/clean/completed', { headers: AUTH });
    expect(clean.status).toBe(403);
    expect(clean.body.message).toMatch(/FRIREN_QUEUE_DASHBOARD_WRITE=true/);
    const edit = await call('PATCH', '/admin/queues/api/queues/trades/any/update-data', {
      headers: JSON_HEADERS,
      body: JSON.stringify({ jobData: { quantity: '1000' } }),
    });
    expect(edit.status).toBe(403);
  });

  it('serves /metrics, /healthz and /readyz on the API port too', async () => {
    const metrics = await call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toMatch(/friren_cache_reads_total\{account="main",layer="memory"\} [1-9]/);
    expect(String(metrics.body)).toContain('friren_account_healthy{account="sick"} 0');
    expect(String(metrics.body)).toContain('friren_account_healthy{account="main"} 1');
    expect((await call('GET', '/healthz')).body).toEqual({ status: 'ok' });
    expect(await call('GET', '/readyz')).toMatchObject({ status: 200, body: { ready: true } });
  });
});
