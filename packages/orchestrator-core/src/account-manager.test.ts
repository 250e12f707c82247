import { randomUUID } from 'node:crypto';
import {
  type AccountSnapshot,
  encodeAccountUpdate,
  encodePerformance,
  encodeSnapshot,
  type PerformanceSummary,
  redisKeys,
} from '@friren/contracts';
import { sleep, waitUntil } from '@friren/observability/test-support';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAccountManager, createAccountManagers } from './account-managers.js';

// Real Redis, own prefix; everything under it is deleted afterwards.
const PREFIX = `test-orch-core-${randomUUID().slice(0, 8)}`;
const keys = redisKeys(PREFIX);
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
const TTL = 60_000;

function snapshot(alias: string, over: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    account: alias,
    broker_account_id: `b-${alias}`,
    status: 'ACTIVE',
    fetched_at: Date.now(),
    version: 1,
    source: 'simulator',
    equity: '101000.50',
    last_equity: '100000',
    cash: '40000.25',
    buying_power: '80000.5',
    portfolio_value: '101000.50',
    trading_blocked: false,
    account_blocked: false,
    ...over,
  };
}

/** What the poller does: live hash + expiry, last-good, positions, then PUBLISH. */
async function pollerWrite(
  s: AccountSnapshot,
  opts: { positions?: object[]; ttlMs?: number; publish?: boolean } = {},
) {
  const a = s.account;
  const hash = encodeSnapshot(s);
  const m = redis
    .multi()
    .del(keys.snapshot(a), keys.lastGood(a))
    .hset(keys.snapshot(a), hash)
    .pexpire(keys.snapshot(a), opts.ttlMs ?? TTL)
    .hset(keys.lastGood(a), hash);
  if (opts.positions) m.set(keys.positions(a), JSON.stringify(opts.positions), 'PX', opts.ttlMs ?? TTL);
  await m.exec();
  if (opts.publish !== false) {
    await redis.publish(
      keys.updatedChannel(a),
      encodeAccountUpdate({ kind: 'snapshot', version: s.version }),
    );
  }
}

const until = <T>(probe: () => T | Promise<T>, ms = 2_000): Promise<T> => waitUntil(probe, ms, 5);

const summary = (pnl: string): PerformanceSummary => ({
  total_pnl: pnl,
  realized_pnl: '10',
  total_return_pct: 1.5,
  sharpe_ratio: null,
  sortino_ratio: 2,
  max_drawdown_pct: 3,
  calmar_ratio: null,
  win_rate_pct: 50,
  profit_factor: 1.2,
  expectancy: '0.5',
  trades_count: 4,
  as_of: '2026-01-01T00:00:00.000Z',
});

beforeAll(async () => {
  await redis.connect();
});

afterAll(async () => {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
  await redis.quit();
});

describe('AccountManager (real Redis)', () => {
  it('is unknown before loading, then answers from memory after start', async () => {
    await pollerWrite(snapshot('a1'), { publish: false });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a1',
      ttlMs: TTL,
    });
    try {
      const before = m.getSnapshotNow();
      expect(before).toMatchObject({ known: false, source: null, stale: true });
      await m.start();
      const now = m.getSnapshotNow();
      expect(now).toMatchObject({ known: true, source: 'memory', origin: 'redis', stale: false });
      expect(m.getCashAvailable()).toBe('40000.25');
      expect(m.getBuyingPower()).toBe('80000.5');
      expect(m.getEquity()).toBe('101000.50');
      expect(m.getPortfolioValue()).toBe('101000.50');
      expect(m.getMoneyNumber('cash')).toBe(40000.25);
      expect(m.getDayPnl()).toEqual({ day: '1000.5', day_pct: 1.0005 });
      expect((await m.getAccountSnapshot()).source).toBe('memory');
    } finally {
      await m.close();
    }
  });

  it('falls back to last-good when the live hash is gone, and says so', async () => {
    const s = snapshot('a2', { fetched_at: Date.now() - 5_000 });
    await pollerWrite(s, { publish: false });
    await redis.del(keys.snapshot('a2'));
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a2',
      ttlMs: 1_000,
    });
    try {
      await m.start();
      const cold = await m.getAccountSnapshot();
      expect(cold).toMatchObject({ known: true, source: 'last-good', origin: 'last-good', stale: true });
      expect(m.getSnapshotNow()).toMatchObject({ source: 'memory', origin: 'last-good', stale: true });
      const health = await m.isAccountHealthy();
      expect(health.healthy).toBe(false);
      expect(health.reasons.join('\n')).toMatch(/^snapshot_stale: /m);
    } finally {
      await m.close();
    }
  });

  it('reports a miss when Redis has nothing, and counts reads per layer', async () => {
    const registry = new Registry();
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a3',
      ttlMs: TTL,
      registry,
    });
    try {
      await m.start();
      const r = await m.getAccountSnapshot();
      expect(r).toMatchObject({ known: false, reason: 'no snapshot in redis (live or last-good)' });
      await redis.hset(keys.poller('a3'), {
        broker_calls_total: '7',
        rate_limited_total: '1',
        consecutive_failures: '0',
      });
      await pollerWrite(snapshot('a3', { version: 2 }));
      // Probe without reading, so the counts below are exactly the test's reads.
      await until(() => m.snapshotAgeSeconds() !== null);
      for (let i = 0; i < 5; i++) m.getSnapshotNow();
      m.invalidate();
      expect((await m.getAccountSnapshot()).source).toBe('redis');
      const stats = await m.getSessionStats();
      expect(stats.reads).toEqual({ memory: 5, redis: 1, 'last-good': 0, miss: 1 });
      expect(stats).toMatchObject({
        broker_calls_total: 7,
        rate_limited_total: 1,
        reads_total: 7,
        calls_saved: 6,
      });
      expect(stats.hit_ratio).toBeCloseTo(6 / 7);
      expect(stats.memory_hit_ratio).toBeCloseTo(5 / 7);
      const text = await registry.metrics();
      expect(text).toContain('friren_cache_reads_total{account="a3",layer="memory"} 5');
      expect(text).toContain('friren_cache_reads_total{account="a3",layer="miss"} 1');
      expect(text).toContain('friren_account_healthy{account="a3"} 1');
      expect(text).toMatch(/^friren_served_snapshot_age_seconds\{account="a3"\} \d/m);
      // The poller's name, with its own meaning, is left to the poller.
      expect(text).not.toContain('friren_snapshot_age_seconds');
    } finally {
      await m.close();
    }
  });

  it('follows performance updates and never lets an older snapshot replace a newer one', async () => {
    await pollerWrite(snapshot('a4', { version: 5 }), { publish: false });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a4',
      ttlMs: TTL,
    });
    try {
      await m.start();
      expect(m.getPerformance()).toBeNull();
      await redis.hset(
        keys.performance('a4'),
        encodePerformance({
          overall: summary('123.45'),
          strategies: { 'momo:v2': summary('-3') },
          version: 1,
        }),
      );
      await redis.publish(
        keys.updatedChannel('a4'),
        encodeAccountUpdate({ kind: 'performance', version: 1 }),
      );
      await until(() => m.getTotalPnl() === '123.45');
      expect(m.getPerformance()?.strategies['momo:v2']?.total_pnl).toBe('-3');
      expect(m.getRealizedPnl()).toBe('10');

      const held = m.getSnapshotNow();
      await pollerWrite(snapshot('a4', { version: 4, fetched_at: Date.now() - 60_000 }));
      await redis.publish(keys.updatedChannel('a4'), 'not json');
      await sleep(50);
      expect(m.getSnapshotNow().snapshot?.version).toBe(held.snapshot?.version);
    } finally {
      await m.close();
    }
  });

  it('drops a performance hash with a field that breaks its rule, naming the field', async () => {
    await pollerWrite(snapshot('p1'), { publish: false });
    const good = encodePerformance({ overall: summary('123.45'), strategies: {}, version: 1 });
    await redis.hset(keys.performance('p1'), { ...good, total_pnl: 'garbage', sharpe_ratio: 'NaN' });
    const warnings: object[] = [];
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'p1',
      ttlMs: TTL,
      logger: { info() {}, debug() {}, warn: (o) => warnings.push(o) },
    });
    try {
      await m.start();
      expect(m.getPerformance()).toBeNull();
      expect(m.getTotalPnl()).toBeNull();
      expect(m.getPerformanceIssue()).toBe(
        'performance_invalid: total_pnl: must be a decimal string; sharpe_ratio: must be a finite number or null',
      );
      expect(warnings).toEqual([
        expect.objectContaining({ account: 'p1', fields: ['total_pnl', 'sharpe_ratio'] }),
      ]);
      await redis.hset(keys.performance('p1'), { ...good, version: '2' });
      await redis.publish(
        keys.updatedChannel('p1'),
        encodeAccountUpdate({ kind: 'performance', version: 2 }),
      );
      await until(() => m.getTotalPnl() === '123.45');
      expect(m.getPerformanceIssue()).toBeNull();
    } finally {
      await m.close();
    }
  });

  it('checks orders against positions read from Redis', async () => {
    await pollerWrite(snapshot('a5'), {
      publish: false,
      positions: [
        { symbol: 'AAPL', qty: '100', side: 'long', market_value: '19000', unrealized_pl: '250.5' },
      ],
    });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a5',
      ttlMs: TTL,
      risk: { maxPositionPct: 20, dailyLossLimit: 500 },
    });
    try {
      expect(m.checkOrderNow({ symbol: 'AAPL', side: 'buy', quantity: 1, price: 1 }).reasons[0]).toMatch(
        /^no_snapshot/,
      );
      await m.start();
      expect(m.getUnrealizedPnl()).toBe('250.5');
      expect(await m.checkOrder({ symbol: 'AAPL', side: 'buy', quantity: '5', price: '190' })).toEqual({
        allowed: true,
        reasons: [],
      });
      const refused = await m.checkOrder({ symbol: 'AAPL', side: 'buy', quantity: '10', price: '190' });
      expect(refused.allowed).toBe(false);
      expect(refused.reasons[0]).toMatch(/^concentration: AAPL exposure would be 20900/);
      const bad = await m.checkOrder({ symbol: 'AAPL', side: 'buy', quantity: '-1', price: '1' } as never);
      expect(bad).toEqual({
        allowed: false,
        reasons: ['invalid_order: quantity: must be a positive decimal'],
      });
    } finally {
      await m.close();
    }
  });

  it('judges poller failures and broker flags', async () => {
    await pollerWrite(snapshot('a6', { status: 'ACCOUNT_UPDATED', trading_blocked: true }), {
      publish: false,
    });
    await redis.hset(keys.poller('a6'), {
      consecutive_failures: '1',
      last_error: 'auth',
      last_error_at: '1',
    });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a6',
      ttlMs: TTL,
    });
    try {
      await m.start();
      const h = await m.isAccountHealthy();
      expect(h.reasons.map((r) => r.slice(0, r.indexOf(':')))).toEqual([
        'broker_status',
        'trading_blocked',
        'poller_auth',
      ]);
    } finally {
      await m.close();
    }
  });

  it('publishes refresh requests on the refresh channel', async () => {
    const listener = redis.duplicate();
    const got: string[] = [];
    listener.on('message', (_c: string, msg: string) => got.push(msg));
    await listener.subscribe(keys.refreshChannel('a7'));
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a7',
      ttlMs: TTL,
    });
    try {
      await m.start();
      const r = await m.requestRefresh('crisis');
      expect(r).toEqual({ published: true, receivers: 1 });
      await until(() => got.length === 1);
      expect(JSON.parse(got[0]!)).toMatchObject({ kind: 'refresh', account: 'a7', reason: 'crisis' });
    } finally {
      await m.close();
      await listener.quit();
    }
  });

  it('re-reads when the live hash expires (memory follows expiry)', async () => {
    await pollerWrite(snapshot('a8', { fetched_at: Date.now() }), { publish: false, ttlMs: 300 });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 'a8',
      ttlMs: 300,
    });
    try {
      await m.start();
      expect(m.getSnapshotNow()).toMatchObject({ origin: 'redis', stale: false });
      await until(() => m.getSnapshotNow().origin === 'last-good', 3_000);
      expect(m.getSnapshotNow().stale).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('labels a snapshot from beyond the skew tolerance as skewed, and a correctly timed newer write replaces it', async () => {
    const ahead = 10 * 60_000;
    await pollerWrite(snapshot('s1', { version: 1, fetched_at: Date.now() + ahead }), { publish: false });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 's1',
      ttlMs: TTL,
    });
    try {
      await m.start();
      const skewed = m.getSnapshotNow();
      expect(skewed).toMatchObject({ known: true, skewed: true, stale: true });
      // Signed, never clamped to 0: about −600 000 ms.
      expect(skewed.age_ms).toBeLessThan(-ahead + 5_000);
      expect(m.snapshotAgeSeconds()).toBeLessThan(-(ahead / 1000) + 5);
      // A skewed snapshot is not fresh enough to answer from memory.
      expect(await m.getAccountSnapshot()).toMatchObject({ source: 'redis', skewed: true, stale: true });
      const health = await m.isAccountHealthy();
      expect(health.healthy).toBe(false);
      expect(health.reasons.map((r) => r.slice(0, r.indexOf(':')))).toEqual(['clock_skew']);

      await pollerWrite(snapshot('s1', { version: 2, fetched_at: Date.now() }));
      await until(() => m.getSnapshotNow().snapshot?.version === 2);
      const fixed = m.getSnapshotNow();
      expect(fixed).toMatchObject({ skewed: false, stale: false });
      expect(fixed.age_ms).toBeGreaterThanOrEqual(0);
      expect((await m.isAccountHealthy()).healthy).toBe(true);
    } finally {
      await m.close();
    }
  });

  it('keeps every expiry timer below 2^31-1 ms for a snapshot 30 days ahead (no busy refresh loop)', async () => {
    const delays: number[] = [];
    const original = globalThis.setTimeout;
    const spy = vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return original(fn, ms);
    }) as typeof setTimeout);
    await pollerWrite(snapshot('s2', { fetched_at: Date.now() + 30 * 86_400_000 }), { publish: false });
    const m = createAccountManager({
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: PREFIX,
      alias: 's2',
      ttlMs: TTL,
    });
    try {
      await m.start();
      expect(m.getSnapshotNow()).toMatchObject({ known: true, skewed: true });
      const loadsAfterStart = (await m.getSessionStats()).background_loads;
      await new Promise((r) => original(r, 300));
      // An overflowing timer fires every millisecond, each firing a reload: hundreds here.
      expect((await m.getSessionStats()).background_loads - loadsAfterStart).toBeLessThanOrEqual(1);
      expect(Math.max(...delays)).toBeLessThan(2 ** 31 - 1);
    } finally {
      spy.mockRestore();
      await m.close();
    }
  });

  it('serves many accounts over one shared subscription', async () => {
    const shared = new Redis('redis://127.0.0.1:6379');
    const group = createAccountManagers({ redis: shared, prefix: PREFIX, aliases: ['g1', 'g2'], ttlMs: TTL });
    try {
      await group.start();
      expect(group.aliases).toEqual(['g1', 'g2']);
      expect(group.get('nope')).toBeUndefined();
      const counts = (await redis.pubsub(
        'NUMSUB',
        keys.updatedChannel('g1'),
        keys.updatedChannel('g2'),
      )) as unknown[];
      expect(counts).toEqual([keys.updatedChannel('g1'), 1, keys.updatedChannel('g2'), 1]);
      await pollerWrite(snapshot('g1', { equity: '1' }));
      await pollerWrite(snapshot('g2', { equity: '2' }));
      await until(() => group.get('g1')?.getEquity() === '1' && group.get('g2')?.getEquity() === '2');
      expect([...group].map((m) => m.alias)).toEqual(['g1', 'g2']);
    } finally {
      await group.close();
      // The caller's connection stays the caller's.
      expect(shared.status).toBe('ready');
      await shared.quit();
    }
  });

  it('refuses bad construction arguments', () => {
    expect(() => createAccountManager({ prefix: PREFIX, alias: 'Bad Alias', ttlMs: 1 })).toThrow(/alias/);
    expect(() => createAccountManager({ prefix: PREFIX, alias: 'ok', ttlMs: 0 })).toThrow(/ttlMs/);
    expect(() =>
      createAccountManager({ prefix: PREFIX, alias: 'ok', ttlMs: 1, risk: { maxPositionPct: -1 } }),
    ).toThrow(/maxPositionPct/);
  });
});
