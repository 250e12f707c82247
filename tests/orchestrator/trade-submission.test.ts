import { randomUUID } from 'node:crypto';
import { loadConfig } from '@friren/config';
import { QUEUES } from '@friren/contracts';
import { createMetrics } from '@friren/observability';
import { type Orchestrator, start } from '@friren/orchestrator';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deletePrefix, SHARED_REDIS_URL } from './support.js';

const PREFIX = `test-orch-trades-${randomUUID().slice(0, 8)}`;
const TOKEN = 'test-token-trades-0123456789';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` };

let redis: Redis;
let queue: Queue;
let app: Orchestrator;
let open: Orchestrator;

const trade = (id: string, over: Record<string, unknown> = {}) => ({
  trade_id: id,
  account: 'main',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '10',
  price: '190.25',
  timestamp: '2026-12-04T15:00:00Z',
  strategy_used: 'momentum',
  ...over,
});

interface Answer {
  readonly results: {
    index: number;
    status: string;
    account: string | null;
    trade_id: string | null;
    fields: string[];
    reason: string;
  }[];
  readonly counts: Record<string, number>;
  readonly error?: string;
  readonly message?: string;
}

async function post(body: unknown, headers: Record<string, string> = HEADERS, url = app.url) {
  const res = await fetch(`${url}/v1/trades`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer };
}

beforeAll(async () => {
  redis = new Redis(SHARED_REDIS_URL);
  queue = new Queue(QUEUES.trades, { connection: redis, prefix: PREFIX });
  const env = {
    REDIS_URL: SHARED_REDIS_URL,
    FRIREN_PREFIX: PREFIX,
    FRIREN_ACCOUNTS: 'main,other',
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  };
  app = await start(loadConfig({ ...env, FRIREN_API_TOKEN: TOKEN }), {
    registry: createMetrics({ defaultMetrics: false }).registry,
    dashboard: false,
    risk: {},
  });
  // No token, on loopback: served to requests naming a loopback host only.
  open = await start(loadConfig(env), {
    registry: createMetrics({ defaultMetrics: false }).registry,
    dashboard: false,
    risk: {},
  });
});

afterAll(async () => {
  await app?.close();
  await open?.close();
  await queue?.close();
  await deletePrefix(redis, PREFIX);
  await redis.quit();
});

describe('POST /v1/trades', () => {
  it('queues one trade (202) through the trade queue, then calls a resubmission a duplicate', async () => {
    const first = await post(trade('one-1'));
    expect(first.status).toBe(202);
    expect(first.body).toEqual({
      results: [{ index: 0, account: 'main', trade_id: 'one-1', status: 'queued', job_id: 't_main.one-1' }],
      counts: { queued: 1, duplicate: 0, conflict: 0, rejected: 0, invalid: 0 },
    });
    const job = await queue.getJob('t_main.one-1');
    expect(job?.data).toMatchObject({ trade_id: 'one-1', quantity: '10', price: '190.25' });

    // Numbers and trailing zeros are the same trade in canonical form.
    const again = await post(trade('one-1', { quantity: 10, price: '190.250' }));
    expect(again.status).toBe(202);
    expect(again.body.results[0]).toMatchObject({ status: 'duplicate', job_id: 't_main.one-1' });
  });

  it('answers conflict (400) naming the fields where a different trade holds the key', async () => {
    await post(trade('conf-1'));
    const r = await post(trade('conf-1', { quantity: '999', side: 'sell' }));
    expect(r.status).toBe(400);
    const result = r.body.results[0]!;
    expect(result.status).toBe('conflict');
    expect([...result.fields].sort()).toEqual(['quantity', 'side']);
    expect(result.reason).toContain('quantity held "10", sent "999"');
  });

  it('answers per trade for a mixed batch (207), invalid ones naming the field and nothing else refused', async () => {
    const batch = [
      trade('mix-1'),
      trade('mix-2', { price: '-3' }),
      trade('mix-3', { account: 'nobody' }),
      { nonsense: true },
      trade('mix-4', { account: 'other' }),
    ];
    const r = await post(batch);
    expect(r.status).toBe(207);
    expect(r.body.counts).toEqual({ queued: 2, duplicate: 0, conflict: 0, rejected: 0, invalid: 3 });
    const byIndex = r.body.results.map((x) => [x.index, x.status]);
    expect(byIndex).toEqual([
      [0, 'queued'],
      [1, 'invalid'],
      [2, 'invalid'],
      [3, 'invalid'],
      [4, 'queued'],
    ]);
    expect(r.body.results[1]).toMatchObject({ trade_id: 'mix-2', fields: ['price'] });
    expect(r.body.results[2]).toMatchObject({ fields: ['account'] });
    expect(r.body.results[3]).toMatchObject({ account: null, trade_id: null });
    expect(await queue.getJob('t_main.mix-2')).toBeUndefined();
    expect(await queue.getJob('t_other.mix-4')).toBeDefined();
  });

  it('queues a batch of 1,000 in order, and answers 400 when nothing in it is accepted', async () => {
    const batch = Array.from({ length: 1000 }, (_, i) => trade(`bulk-${i}`, { quantity: String(i + 1) }));
    const r = await post(batch);
    expect(r.status).toBe(202);
    expect(r.body.counts['queued']).toBe(1000);
    expect(r.body.results[999]).toMatchObject({ index: 999, trade_id: 'bulk-999', status: 'queued' });
    expect((await queue.getJob('t_main.bulk-999'))?.data.quantity).toBe('1000');

    const none = await post([trade('bad-1', { side: 'hold' }), trade('bad-2', { quantity: '0' })]);
    expect(none.status).toBe(400);
    expect(none.body.counts['invalid']).toBe(2);
  });

  it('refuses a body that is not a trade or an array of 1..1000 of them', async () => {
    for (const body of [[], 'null', '"x"', '7']) {
      const r = await post(body);
      expect(r.status).toBe(400);
      expect(r.body.error).toBe('bad_request');
    }
    const tooMany = await post(Array.from({ length: 1001 }, (_, i) => trade(`many-${i}`)));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toContain('at most 1000');
    expect(await queue.getJob('t_main.many-0')).toBeUndefined();
    const huge = await post([trade('huge', { metadata: { pad: 'x'.repeat(9 * 1024 * 1024) } })]);
    expect(huge.status).toBe(413);
  });

  it('needs the token where one is set, and a loopback Host where none is', async () => {
    expect((await post(trade('auth-1'), { 'content-type': 'application/json' })).status).toBe(401);
    const wrong = { 'content-type': 'application/json', authorization: 'Bearer nope' };
    expect((await post(trade('auth-1'), wrong)).status).toBe(401);
    expect(await queue.getJob('t_main.auth-1')).toBeUndefined();

    const ok = await post(trade('auth-2'), { 'content-type': 'application/json' }, open.url);
    expect(ok.status).toBe(202);
    const rebound = await post(
      trade('auth-3'),
      { 'content-type': 'application/json', origin: 'http://evil.example' },
      open.url,
    );
    expect(rebound.status).toBe(403);
    expect(await queue.getJob('t_main.auth-3')).toBeUndefined();
  });
});
