import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from './rate-limiter.js';

const prefix = `test-alpaca-rl-${randomUUID().slice(0, 8)}`;
let a: Redis;
let b: Redis;

beforeAll(() => {
  a = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
  b = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, keys] = await a.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await a.del(...keys);
  } while (cursor !== '0');
  a.disconnect();
  b.disconnect();
});

const limiter = (redis: Redis, keyId: string, limit: number, windowMs: number) =>
  new RedisRateLimiter({ redis, prefix, keyId, limit, windowMs });

describe('RedisRateLimiter', () => {
  it('never grants more than the limit in any window, across clients sharing a key', async () => {
    const limit = 5;
    const windowMs = 600;
    const limiters = [limiter(a, 'k-window', limit, windowMs), limiter(b, 'k-window', limit, windowMs)];
    const grants: number[] = [];
    const stopAt = Date.now() + 2_000;
    // 8 callers hammering the same key through two connections.
    await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const l = limiters[i % 2]!;
        while (Date.now() < stopAt) {
          const r = await l.acquire({ maxWaitMs: 50, reserveMs: 100 });
          if (r.granted) {
            grants.push(Date.now());
            await r.settle();
          } else {
            await new Promise((res) => setTimeout(res, 5));
          }
        }
      }),
    );
    grants.sort((x, y) => x - y);
    for (let i = 0; i + limit < grants.length; i += 1) {
      expect(grants[i + limit]! - grants[i]!).toBeGreaterThanOrEqual(windowMs - 5);
    }
    // Not over-cautious either: about 2000/600 windows' worth of grants.
    expect(grants.length).toBeGreaterThanOrEqual(3 * limit);
    expect(grants.length).toBeLessThanOrEqual(4 * limit);
  });

  it('gives up at once when the wait exceeds the bound, with the time a slot frees', async () => {
    const l = limiter(a, 'k-bound', 2, 5_000);
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 100 })).granted).toBe(true);
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 100 })).granted).toBe(true);
    const started = Date.now();
    const refused = await l.acquire({ maxWaitMs: 1_000, reserveMs: 100 });
    expect(Date.now() - started).toBeLessThan(200);
    expect(refused.granted).toBe(false);
    if (!refused.granted) expect(refused.retryAt).toBeGreaterThan(started + 4_000);
    expect(await l.state()).toMatchObject({ remaining: 0 });
  });

  it('a block empties the window until it ends, and waiting callers get through after it', async () => {
    const l = limiter(a, 'k-block', 100, 60_000);
    expect((await l.state()).remaining).toBe(100);
    await l.block(400);
    const refused = await l.acquire({ maxWaitMs: 0, reserveMs: 100 });
    expect(refused.granted).toBe(false);
    expect((await l.state()).waitMs).toBeGreaterThan(300);
    // A shorter block later does not shorten the longer one.
    await l.block(10);
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 100 })).granted).toBe(false);
    const started = Date.now();
    const granted = await limiter(b, 'k-block', 100, 60_000).acquire({ maxWaitMs: 2_000, reserveMs: 100 });
    expect(granted.granted).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('an unsettled call holds its slot until its deadline, a settled one only for the window', async () => {
    const l = limiter(a, 'k-reserve', 1, 200);
    const first = await l.acquire({ maxWaitMs: 0, reserveMs: 1_000 });
    expect(first.granted).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // Still in flight as far as the limiter knows: it may reach the broker up to its deadline.
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 1_000 })).granted).toBe(false);
    if (first.granted) await first.settle();
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 1_000 })).granted).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect((await l.acquire({ maxWaitMs: 0, reserveMs: 1_000 })).granted).toBe(true);
  });
});
