import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { JOB_NAMES, parseTradeJob, QUEUES, type TradeJobInput, ValidationError } from '@friren/contracts';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
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
    const result = await client.submit(trade);
    expect(result.status).toBe('queued');
    const { jobId, trade: queued } = result;
    expect(jobId).toBe('t_default.alpaca~fill~1');
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
    expect(done.map((d) => [d.status, d.jobId])).toEqual(
      many.map((_, i) => ['queued', `t_default.many-${i}`]),
    );
    expect(await queue.count()).toBe(before + 5);
    // Resubmission while BullMQ holds the jobs adds nothing, and says so.
    const again = await client.submitMany(many);
    expect(again.map((d) => d.status)).toEqual(many.map(() => 'duplicate'));
    expect(await queue.count()).toBe(before + 5);
  });

  it('a different trade under a queued (account, trade_id) is a conflict, queued on its own id for the recorder to keep', async () => {
    const first = { ...trade, trade_id: 'conf-1', side: 'buy' as const, quantity: '10', price: '100' };
    expect((await client.submit(first)).status).toBe('queued');
    // Same trade, decimals written otherwise: a duplicate.
    expect((await client.submit({ ...first, quantity: 10, price: '100.00' })).status).toBe('duplicate');
    const before = await queue.count();
    const other = await client.submit({ ...first, side: 'sell', quantity: '999', price: '1.23' });
    expect(other).toMatchObject({
      status: 'conflict',
      queuedJobId: 't_default.conf-1',
      differences: [
        { field: 'side', queued: '"buy"', submitted: '"sell"' },
        { field: 'quantity', queued: '"10"', submitted: '"999"' },
        { field: 'price', queued: '"100"', submitted: '"1.23"' },
      ],
    });
    expect(other.jobId).toMatch(/^t_default\.conf-1!c-[0-9a-f]{16}$/);
    expect((await queue.getJob(other.jobId))?.data).toMatchObject({ side: 'sell', quantity: '999' });
    expect((await queue.getJob('t_default.conf-1'))?.data).toMatchObject({ side: 'buy', quantity: '10' });
    // The same conflicting trade again lands on the same conflict job.
    const repeat = await client.submit({ ...first, side: 'sell', quantity: '999', price: '1.23' });
    expect(repeat).toMatchObject({ status: 'conflict', jobId: other.jobId });
    expect(await queue.count()).toBe(before + 1);
  });

  it('the same trade_id in another account is another trade', async () => {
    const a = await client.submit({ ...trade, trade_id: 'fill-1', account: 'default' });
    const b = await client.submit({ ...trade, trade_id: 'fill-1', account: 'other' });
    expect([a.status, a.jobId, b.status, b.jobId]).toEqual([
      'queued',
      't_default.fill-1',
      'queued',
      't_other.fill-1',
    ]);
  });

  it('a resubmitted trade whose job failed (rejected by the recorder) is reported as rejected, not success', async () => {
    // Its own prefix, so the stand-in for the recorder sees this job alone.
    const ownPrefix = `${prefix}-fail`;
    const own = createTradeClient({ redisUrl: REDIS_URL, prefix: ownPrefix });
    const t = { ...trade, trade_id: 'will-fail' };
    const { jobId } = await own.submit(t);
    const worker = new Worker(
      QUEUES.trades,
      async () => {
        throw new UnrecoverableError('trade rejected: timestamp: is in the future');
      },
      { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix: ownPrefix },
    );
    const ownQueue = new Queue(QUEUES.trades, { connection: redis, prefix: ownPrefix });
    try {
      for (let i = 0; i < 100 && (await ownQueue.getJobState(jobId)) !== 'failed'; i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await own.submit(t)).toMatchObject({
        status: 'rejected',
        jobId,
        failedReason: 'trade rejected: timestamp: is in the future',
      });
    } finally {
      await worker.close();
      await own.close();
      await ownQueue.obliterate({ force: true });
      await ownQueue.close();
    }
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
    expect((await queue.getJobs(['waiting'])).filter((j) => j.id?.startsWith('t_default.conn-')).length).toBe(
      70,
    );
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
