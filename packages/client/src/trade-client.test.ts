import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JOB_NAMES, parseTradeJob, QUEUES, type TradeJobInput, ValidationError } from '@friren/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubmitTimeoutError } from './errors.js';
import { TRADE_JOB_OPTIONS } from './job-options.js';
import { createTradeClient, type TradeClient } from './trade-client.js';

const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test-client-${randomBytes(5).toString('hex')}`;
let redis: Redis;
let queue: Queue;
let client: TradeClient;

const trade: TradeJobInput = {
  trade_id: 'alpaca:fill:1',
  account: 'default',
  symbol: 'AAPL',
  side: 'buy',
  quantity: 10.5,
  price: '187.250',
  timestamp: '2026-11-25T15:30:00.1234+01:00',
  strategy_used: 'momentum',
  finbert_sentiment: null,
};

beforeAll(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  client = createTradeClient({ redisUrl: REDIS_URL, prefix, accounts: ['default', 'other'] });
});

afterAll(async () => {
  await client.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

describe('createTradeClient', () => {
  it('queues the normalized trade under its job id with the retry and retention options', async () => {
    const { jobId, trade: queued } = await client.submit(trade);
    expect(jobId).toBe('t_alpaca~fill~1');
    const job = await queue.getJob(jobId);
    expect(job?.name).toBe(JOB_NAMES.trade);
    expect(job?.data).toEqual({
      trade_id: 'alpaca:fill:1',
      account: 'default',
      symbol: 'AAPL',
      side: 'buy',
      quantity: '10.5',
      price: '187.25',
      timestamp: '2026-11-25T14:30:00.123400Z',
      strategy_used: 'momentum',
      fees: '0',
    });
    expect(job?.data).toEqual(JSON.parse(JSON.stringify(queued)));
    expect(job?.opts.attempts).toBe(TRADE_JOB_OPTIONS.attempts);
    expect(job?.opts.backoff).toEqual(TRADE_JOB_OPTIONS.backoff);
    expect(job?.opts.removeOnComplete).toEqual(TRADE_JOB_OPTIONS.removeOnComplete);
    expect(job?.opts.removeOnFail).toEqual(TRADE_JOB_OPTIONS.removeOnFail);
  });

  it('refuses an invalid trade with a ValidationError naming every bad field, queueing nothing', async () => {
    const before = await queue.count();
    const bad = { ...trade, trade_id: 'x1', quantity: '1.0000000001', account: 'nobody', extra: true };
    const error = await client.submit(bad as TradeJobInput).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const fields = (error as ValidationError).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['extra', 'quantity']);
    // An unconfigured account is refused too (checked once the shape is valid).
    const other = await client
      .submit({ ...trade, trade_id: 'x2', account: 'nobody' })
      .catch((e: unknown) => e);
    expect((other as ValidationError).issues).toEqual([
      { field: 'account', message: 'is not a configured account' },
    ]);
    expect(await queue.count()).toBe(before);
  });

  it('submitMany validates everything first and names fields by index', async () => {
    const before = await queue.count();
    const many = Array.from({ length: 5 }, (_, i) => ({ ...trade, trade_id: `many-${i}` }));
    const broken = [...many, { ...trade, trade_id: 'many-x', side: 'hold' }] as TradeJobInput[];
    const error = await client.submitMany(broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.field)).toEqual(['trades[5].side']);
    expect(await queue.count()).toBe(before);

    const done = await client.submitMany(many);
    expect(done.map((d) => d.jobId)).toEqual(many.map((_, i) => `t_many-${i}`));
    expect(await queue.count()).toBe(before + 5);
    // Resubmission while BullMQ holds the jobs adds nothing.
    await client.submitMany(many);
    expect(await queue.count()).toBe(before + 5);
  });

  it('uses one Redis connection however many calls it makes', async () => {
    const name = `producer-${randomBytes(4).toString('hex')}`;
    const own = createTradeClient({ redisUrl: REDIS_URL, prefix, connectionName: name });
    for (let i = 0; i < 20; i++) await own.submit({ ...trade, trade_id: `conn-${i}` });
    await own.submitMany(Array.from({ length: 50 }, (_, i) => ({ ...trade, trade_id: `conn-b-${i}` })));
    const named = String(await redis.client('LIST'))
      .split('\n')
      .filter((line) => line.includes(` name=${name} `));
    expect(named).toHaveLength(1);
    expect((await queue.getJobs(['waiting'])).filter((j) => j.id?.startsWith('t_conn-')).length).toBe(70);
    await own.close();
  });

  it('fails fast when Redis is unreachable', async () => {
    const dead = createTradeClient({ redisUrl: 'redis://127.0.0.1:1', prefix, timeoutMs: 800 });
    const started = performance.now();
    const error = await dead.submit({ ...trade, trade_id: 'never' }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof SubmitTimeoutError || /ECONNREFUSED|retries/i.test(String(error))).toBe(true);
    await dead.close();
  });

  it('the README payload is a valid trade', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const json = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(json).toBeDefined();
    const r = parseTradeJob(JSON.parse(json!), { accounts: ['default'] });
    expect(r.ok).toBe(true);
  });
});
