import {
  type AnalyticsService,
  enqueueRecompute,
  recomputeAccount,
  start,
  TICK_SCHEDULER_ID,
} from '@friren/analytics';
import { decodeAccountUpdate, decodePerformance, QUEUES, redisKeys } from '@friren/contracts';
import { insertTrades, listAnalyticsStates, listEquityDaily, listPerformanceMetrics } from '@friren/db';
import { createMetrics, type Registry } from '@friren/observability';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import {
  alpacaHistory,
  analyticsOutput,
  createTestLedger,
  deletePrefix,
  insertLedger,
  ledgerTrades,
  positionsJson,
  randomSuffix,
  recomputeContext,
  redisClient,
  silentLogger,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
const keys = redisKeys(prefix);
let ledger: TestLedger;
let redis: Redis;
let subscriber: Redis;
let queue: Queue;
let service: AnalyticsService;
let registry: Registry;
const messages: { channel: string; message: string }[] = [];

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
  subscriber = redisClient();
  await subscriber.psubscribe(`${prefix}:account:*:updated`);
  subscriber.on('pmessage', (_pattern, channel, message) => messages.push({ channel, message }));
  await redis.set(keys.history('alpha'), alpacaHistory('2024-01-02', 12));
  await redis.set(keys.positions('alpha'), positionsJson(prices(1)));
  registry = createMetrics({ defaultMetrics: false }).registry;
  const config = testConfig({ mysqlUrl: ledger.url, prefix, accounts: ['alpha', 'beta'] });
  service = await start(config, {
    logger: silentLogger,
    registry,
    settings: { settleMs: 0, concurrency: 2 },
  });
  queue = new Queue(QUEUES.analytics, { connection: redis, prefix });
});

afterAll(async () => {
  await service?.close();
  await queue?.close();
  await subscriber?.quit();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

/** Current prices of the synthetic symbols (SYM0..SYM5), scaled by `k`. */
function prices(k: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`SYM${i}`, String((101.5 + 37 * i) * k)]));
}

/** What the recorder does after a commit; resolves when the account's figures cover `fills`. */
async function recomputeAndWait(account: string, fills: number): Promise<Record<string, string>> {
  await enqueueRecompute(queue, [account]);
  const hash = await waitUntil(async () => {
    const h = await redis.hgetall(keys.performance(account));
    return h['trades_count'] === String(fills) ? h : undefined;
  }, 20_000);
  return hash!;
}

describe('analytics worker on MariaDB and Redis', () => {
  it('turns a round trip into exact figures in the hash and the tables, and publishes', async () => {
    await insertTrades(ledger.database.db, [
      {
        trade_id: 'b-1',
        account: 'beta',
        symbol: 'AAPL',
        side: 'buy',
        quantity: '10',
        price: '100.1',
        fees: '1',
        timestamp: '2024-03-04T15:00:00.000000Z',
        strategy_used: 'momentum',
      },
      {
        trade_id: 'b-2',
        account: 'beta',
        symbol: 'AAPL',
        side: 'sell',
        quantity: '4',
        price: '110.2',
        fees: '0.5',
        timestamp: '2024-03-04T16:00:00.000000Z',
        strategy_used: 'exit:v2',
      },
    ]);
    const hash = await recomputeAndWait('beta', 2);
    // The account's lots: sold 4 of 10 bought at 100.1 + 1 fee: cost removed 400.4 + 0.4, cash in
    // 440.8 − 0.5 → +39.5. exit:v2 held nothing: its sell opens a short of its own (no realized P&L).
    expect(hash['realized_pnl']).toBe('39.5');
    expect(hash['strategy:exit:v2:realized_pnl']).toBe('0');
    expect(hash['strategy:momentum:realized_pnl']).toBe('0');
    expect(hash['strategy:momentum:trades_count']).toBe('1');
    // No positions snapshot for beta: marked at the last fill, 110.2. Account: 6 × 110.2 − 601.2 = 60;
    // momentum 10 × 110.2 − 1002 = 100, exit:v2 −440.8 + 440.3 = −0.5: both sum to 99.5.
    expect(hash['total_pnl']).toBe('99.5');
    expect(hash['strategy:momentum:total_pnl']).toBe('100');
    expect(hash['strategy:exit:v2:total_pnl']).toBe('-0.5');
    expect(hash['win_rate_pct']).toBe('100');
    expect(hash['profit_factor']).toBe('null');
    expect(hash['sharpe_ratio']).toBe('null');
    expect(decodePerformance(hash)?.strategies['exit:v2']?.expectancy).toBe('0');

    const rows = await listPerformanceMetrics(ledger.database.db, 'beta');
    expect(rows.map((r) => r.strategy)).toEqual(['', 'exit:v2', 'momentum']);
    expect(rows[0]).toMatchObject({
      realized_pnl: '39.5',
      unrealized_pnl: '60',
      trades_count: 2,
      profit_factor: null,
    });

    const version = Number(hash['version']);
    // The publish of this very revision (a later recompute, e.g. the start-up catch-up, may follow it).
    const published = () =>
      messages
        .filter((m) => m.channel === keys.updatedChannel('beta'))
        .map((m) => decodeAccountUpdate(m.message));
    await waitUntil(() => published().some((u) => u?.kind === 'performance' && u.version === version));
    expect(published()).toContainEqual({ kind: 'performance', version });
  });

  it('folds batches incrementally to the same figures a rebuild from the whole ledger gives', async () => {
    const all = ledgerTrades('alpha', 1800, { perDay: 200 });
    const batches = [all.slice(0, 700), all.slice(700, 701), all.slice(701, 1500), all.slice(1500)];
    let total = 0;
    const versions: number[] = [];
    for (const batch of batches) {
      total += await insertLedger(ledger.database, batch);
      const hash = await recomputeAndWait('alpha', total);
      versions.push(Number(hash['version']));
    }
    expect(total).toBe(1800);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));

    const incremental = await analyticsOutput(ledger.database, redis, prefix, 'alpha');
    expect(incremental.metrics).toHaveLength(4);
    expect(incremental.equity).toHaveLength(12);
    // Figures that need history and prices are there: ratios from 12 days, unrealized from positions.
    const overall = incremental.metrics[0];
    expect(overall?.sharpe_ratio).toEqual(expect.any(Number));
    expect(overall?.max_drawdown_pct).toBeLessThanOrEqual(0);
    expect(overall?.unrealized_pnl).not.toBe('0');
    expect(incremental.metrics.slice(1).every((m) => m.sharpe_ratio !== null)).toBe(true);
    // The ledger's overall series: every history day, fill day and today from the first fill, each
    // with a return (equity at the previous close is known on all of them).
    const overallDays = incremental.daily.filter((d) => d.strategy === '');
    expect(overallDays.length).toBeGreaterThanOrEqual(12);
    expect(overallDays.every((d) => d.daily_return !== null)).toBe(true);

    // A rebuild in a separate context (no shared cache), as `pnpm rebuild` would run it.
    const ctx = recomputeContext({ database: ledger.database, redis, prefix });
    const rebuilt = await recomputeAccount(ctx, 'alpha', { rebuild: 'requested' });
    expect(rebuilt.rebuilt).toBe('requested');
    expect(rebuilt.fills).toBe(1800);
    expect(rebuilt.published).toBe(true);
    const fromScratch = await analyticsOutput(ledger.database, redis, prefix, 'alpha');
    expect(fromScratch).toEqual(incremental);
    expect(Number((await redis.hget(keys.performance('alpha'), 'version')) ?? 0)).toBeGreaterThan(
      versions.at(-1)!,
    );
  });

  it('keeps state, cursor and fills in analytics_state and the broker history in equity_daily', async () => {
    const states = await listAnalyticsStates(ledger.database.db);
    expect(states.map((s) => [s.account, s.fills, s.pnl_method])).toEqual([
      ['alpha', 1800, 'fifo'],
      ['beta', 2, 'fifo'],
    ]);
    const equity = await listEquityDaily(ledger.database.db, 'alpha');
    expect(equity[0]).toMatchObject({ date: '2024-01-02' });
    expect(equity.every((d) => /^\d+(\.\d{1,2})?$/.test(d.equity))).toBe(true);
  });

  it('exports the per-account and per-strategy gauges', async () => {
    const text = await registry.metrics();
    expect(text).toMatch(/friren_pnl_total\{account="beta",scope="account"\} 99\.5/);
    expect(text).toMatch(/friren_pnl_total\{account="beta",scope="strategy",strategy="exit:v2"\} -0\.5/);
    expect(text).toMatch(/friren_sharpe_ratio\{account="alpha",scope="broker"\} -?\d/);
    expect(text).toMatch(/friren_win_rate_ratio\{account="beta",scope="account"\} 1/);
    expect(text).toMatch(/friren_profit_factor\{account="beta",scope="account"\} \+Inf/);
    expect(text).toMatch(
      /friren_sharpe_ratio\{account="alpha",scope="strategy",strategy="strategy-0"\} -?\d/,
    );
    expect(text).toMatch(/friren_max_drawdown_ratio\{account="alpha",scope="account"\} -?\d/);
    expect(text).toMatch(/friren_analytics_strategies\{account="alpha"\} 3/);
  });

  it('registers the minute scheduler and is ready', async () => {
    const scheduler = await queue.getJobScheduler(TICK_SCHEDULER_ID);
    expect(scheduler?.every).toBe(60_000);
    const report = await service.readiness();
    expect(Object.values(report).every((c) => c.ok)).toBe(true);
  });

  it('refreshes unrealized P&L on a recompute without new trades', async () => {
    const before = await redis.hgetall(keys.performance('alpha'));
    await redis.set(keys.positions('alpha'), positionsJson(prices(2)));
    await enqueueRecompute(queue, ['alpha']);
    const after = await waitUntil(async () => {
      const hash = await redis.hgetall(keys.performance('alpha'));
      return Number(hash['version']) > Number(before['version']) ? hash : undefined;
    });
    expect(after?.['realized_pnl']).toBe(before['realized_pnl']);
    expect(after?.['total_pnl']).not.toBe(before['total_pnl']);
  });
});
