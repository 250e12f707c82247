import { randomBytes } from 'node:crypto';
import { QUEUES, redisKeys } from '@friren/contracts';
import { createLogger } from '@friren/observability';
import { sleep } from '@friren/observability/test-support';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnalyticsTrigger, createAnalyticsTrigger } from './analytics-trigger.js';

const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `test-trigger-${randomBytes(4).toString('hex')}`;
const keys = redisKeys(prefix);
const INTERVAL_MS = 100;

let redis: Redis;
let subscriber: Redis;
let trigger: AnalyticsTrigger;
let analytics: Queue;
const messages: { account: string; at: number }[] = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  subscriber = new Redis(REDIS_URL);
  await subscriber.psubscribe(`${prefix}:account:*:refresh`);
  subscriber.on('pmessage', (_pattern, channel: string) => {
    messages.push({ account: channel.split(':').at(-2)!, at: performance.now() });
  });
  analytics = new Queue(QUEUES.analytics, { connection: redis, prefix });
  trigger = createAnalyticsTrigger({
    redis,
    prefix,
    logger: createLogger({ name: 'test', level: 'silent' }),
    minIntervalMs: INTERVAL_MS,
  });
});

afterAll(async () => {
  await trigger?.close();
  await analytics?.obliterate({ force: true });
  await analytics?.close();
  await subscriber?.quit();
  await redis?.quit();
});

describe('analytics trigger', () => {
  it('coalesces a burst into a leading and a trailing send, the trailing one after the last commit', async () => {
    expect(keys.refreshChannel('a')).toBe(`${prefix}:account:a:refresh`);
    const started = performance.now();
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      sends.push(trigger.notify([i % 2 === 0 ? 'a' : 'b']));
      if (i % 20 === 0) await sleep(2);
    }
    const lastNotifyAt = performance.now();
    await Promise.all(sends);
    await sleep(50); // let the subscriber catch up
    const perAccount = (account: string) => messages.filter((m) => m.account === account);
    // 200 notifications within ~25 ms: one send right away, one when the interval has passed.
    expect(perAccount('a').length).toBe(2);
    expect(perAccount('b').length).toBeGreaterThanOrEqual(1);
    expect(perAccount('b').length).toBeLessThanOrEqual(2);
    const last = perAccount('a').at(-1)!.at;
    expect(last).toBeGreaterThanOrEqual(lastNotifyAt);
    expect(last - started).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
    expect(last - started).toBeLessThan(INTERVAL_MS + 500);
    // Deduplicated on the analytics queue as before: one recompute per account.
    const jobs = await analytics.getJobs(['waiting', 'delayed']);
    expect(jobs.map((j) => (j.data as { account: string }).account).sort()).toEqual(['a', 'b']);
  });

  it('sends at once after a quiet interval, and close() sends what is pending', async () => {
    await sleep(INTERVAL_MS + 20);
    messages.length = 0;
    const t0 = performance.now();
    await trigger.notify(['c']);
    expect(performance.now() - t0).toBeLessThan(INTERVAL_MS / 2);
    const pending = trigger.notify(['d']); // within the interval: waits for the trailing send
    await trigger.close();
    await pending;
    await sleep(50);
    expect(messages.map((m) => m.account).sort()).toEqual(['c', 'd']);
  });
});
