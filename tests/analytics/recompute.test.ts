import { AccountRunner, recomputeAccount } from '@friren/analytics';
import { newYorkDay } from '@friren/analytics-core';
import { decodePerformance, redisKeys } from '@friren/contracts';
import {
  insertTrades,
  listAnalyticsStates,
  listEquityDaily,
  listPerformanceMetrics,
  type TradeRow,
} from '@friren/db';
import type { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  type TestLedger,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
const keys = redisKeys(prefix);
let ledger: TestLedger;
let redis: Redis;

beforeAll(async () => {
  ledger = await createTestLedger();
  redis = redisClient();
});

afterAll(async () => {
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await ledger?.drop();
});

function ctx(method: 'fifo' | 'average' = 'fifo', settleMs = 0, checkpointMs = 0) {
  return {
    ...recomputeContext({ database: ledger.database, redis, prefix, method, settleMs }),
    checkpointMs,
  };
}

async function stateOf(account: string) {
  return (await listAnalyticsStates(ledger.database.db)).find((s) => s.account === account);
}

function fill(account: string, id: string, side: 'buy' | 'sell', price: string, strategy: string): TradeRow {
  return {
    trade_id: id,
    account,
    symbol: 'XYZ',
    side,
    quantity: '10',
    price,
    fees: '0',
    timestamp: '2024-05-06T15:00:00.000000Z',
    strategy_used: strategy,
  };
}

describe('recompute ordering and concurrency', () => {
  it('leaves rows younger than the settle delay for later, and the runner waits them out', async () => {
    await insertLedger(ledger.database, ledgerTrades('settle', 40));
    const early = await recomputeAccount(ctx('fifo', 1_500), 'settle');
    expect(early).toMatchObject({ folded: 0, fills: 0, unsettled: true });

    const runner = new AccountRunner(ctx('fifo', 300), { verifyEveryMs: 60_000 });
    const result = await runner.run('settle');
    expect(result).toMatchObject({ fills: 40, unsettled: false });
  });

  it('rebuilds an account when a row commits below the cursor, so FIFO order is the ledger order', async () => {
    const account = 'late';
    await insertTrades(ledger.database.db, [
      fill(account, 'late-open-1', 'buy', '100', 'opener'),
      fill(account, 'late-open-2', 'buy', '120', 'opener'),
    ]);
    const runner = new AccountRunner(ctx(), { verifyEveryMs: 0 });
    await runner.run(account);

    // A recorder transaction takes id N and commits only after another one committed N + 1.
    const slow = await createConnection(ledger.url);
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO trades (trade_id, account, symbol, side, quantity, price, fees, executed_at, strategy_used)
         VALUES ('late-slow', ?, 'XYZ', 'sell', 10, 130, 0, '2024-05-06 15:00:00', 'slow')`,
        [account],
      );
      await insertTrades(ledger.database.db, [
        { ...fill(account, 'late-fast', 'sell', '130', 'fast'), finbert_sentiment: 0.9 },
      ]);
      const passed = await runner.run(account);
      expect(passed).toMatchObject({ fills: 3, rebuilt: null });
      // Folded out of order: the account's book gave 'fast' (positive news) the oldest lot (at 100).
      expect(passed.report.breakdowns?.by_sentiment['positive']?.realized_pnl).toBe('300');
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }

    const healed = await runner.run(account);
    expect(healed).toMatchObject({ fills: 4, rebuilt: 'late trade' });
    // Ledger (id) order: 'slow' (no sentiment) closes the lot at 100, 'fast' the one at 120.
    expect(healed.report.breakdowns?.by_sentiment['unknown']?.realized_pnl).toBe('300');
    expect(healed.report.breakdowns?.by_sentiment['positive']?.realized_pnl).toBe('100');
    // Each strategy closes only its own lots: the sellers held none, so theirs are shorts.
    expect(healed.report.strategies['fast']?.realized_pnl).toBe('0');
  });

  it('lets replicas and concurrent jobs recompute one account without counting a trade twice', async () => {
    const account = 'busy';
    const trades = ledgerTrades(account, 600, { seed: 11 });
    const replicas = [ctx(), ctx()].map((c) => new AccountRunner(c, { verifyEveryMs: 60_000 }));
    const runs: Promise<{ revision: number; fills: number }>[] = [];
    for (let i = 0; i < 6; i++) {
      await insertLedger(ledger.database, trades.slice(i * 100, (i + 1) * 100));
      for (const r of replicas) runs.push(r.run(account), r.run(account));
    }
    const results = await Promise.all(runs);
    const revisions = results.map((r) => r.revision).sort((a, b) => a - b);
    expect(new Set(revisions).size).toBe(results.length);
    expect(Math.max(...results.map((r) => r.fills))).toBe(600);
    const [state] = (await listAnalyticsStates(ledger.database.db)).filter((s) => s.account === account);
    expect(state).toMatchObject({ fills: 600, revision: revisions.at(-1) });
    expect(await redis.hget(keys.performance(account), 'version')).toBe(String(revisions.at(-1)));

    const concurrent = await analyticsOutput(ledger.database, redis, prefix, account);
    await recomputeAccount(ctx(), account, { rebuild: 'requested' });
    expect(await analyticsOutput(ledger.database, redis, prefix, account)).toEqual(concurrent);
  });

  it('rebuilds with the new lot matching when PNL_METHOD changes', async () => {
    const account = 'method';
    await insertLedger(ledger.database, ledgerTrades(account, 400, { seed: 5 }));
    const fifo = await recomputeAccount(ctx('fifo'), account);
    const average = await recomputeAccount(ctx('average'), account);
    expect(average.rebuilt).toBe('pnl_method changed');
    expect(average.report.overall.realized_pnl).not.toBe(fifo.report.overall.realized_pnl);
    const [state] = (await listAnalyticsStates(ledger.database.db)).filter((s) => s.account === account);
    expect(state?.pnl_method).toBe('average');

    const afterSwitch = await analyticsOutput(ledger.database, redis, prefix, account);
    await recomputeAccount(ctx('average'), account, { rebuild: 'requested' });
    expect(await analyticsOutput(ledger.database, redis, prefix, account)).toEqual(afterSwitch);
  });

  it('checkpoints the state only when due, and a replica refolds from the checkpoint without double counting', async () => {
    const account = 'checkpoint';
    const trades = ledgerTrades(account, 900, { seed: 13 });
    await insertLedger(ledger.database, trades.slice(0, 300));
    const lazy = ctx('fifo', 0, 3_600_000);
    const first = await recomputeAccount(lazy, account);
    expect(first).toMatchObject({ rebuilt: 'first run', checkpointed: true, fills: 300 });
    expect((await stateOf(account))?.state_trade_id).toBe(first.lastTradeId);

    await insertLedger(ledger.database, trades.slice(300, 600));
    const second = await recomputeAccount(lazy, account);
    expect(second).toMatchObject({ rebuilt: null, checkpointed: false, folded: 300, fills: 600 });
    expect(await stateOf(account)).toMatchObject({ fills: 600, state_trade_id: first.lastTradeId });

    // Another replica (cold cache) continues from the checkpoint at 300, not from its cursor at 600.
    await insertLedger(ledger.database, trades.slice(600));
    const replica = await recomputeAccount(ctx('fifo', 0, 3_600_000), account);
    expect(replica).toMatchObject({ rebuilt: null, checkpointed: true, folded: 600, fills: 900 });
    expect((await stateOf(account))?.state_trade_id).toBe(replica.lastTradeId);

    // The first process' cache is stale now (revision moved on): it reloads rather than refolding.
    const again = await recomputeAccount(lazy, account);
    expect(again).toMatchObject({ folded: 0, fills: 900 });

    const output = await analyticsOutput(ledger.database, redis, prefix, account);
    await recomputeAccount(ctx(), account, { rebuild: 'requested' });
    expect(await analyticsOutput(ledger.database, redis, prefix, account)).toEqual(output);
  });

  it('writes pending checkpoints at shutdown', async () => {
    const account = 'shutdown';
    const trades = ledgerTrades(account, 200, { seed: 17 });
    const runner = new AccountRunner(ctx('fifo', 0, 3_600_000), { verifyEveryMs: 60_000 });
    await insertLedger(ledger.database, trades.slice(0, 100));
    await runner.run(account);
    await insertLedger(ledger.database, trades.slice(100));
    const last = await runner.run(account);
    expect(last.checkpointed).toBe(false);
    expect(await runner.checkpointAll()).toBe(1);
    expect((await stateOf(account))?.state_trade_id).toBe(last.lastTradeId);
    expect(await runner.checkpointAll()).toBe(0);
  });

  it('keeps going on unreadable broker data in Redis, with the stored history', async () => {
    const account = 'garbled';
    await insertLedger(ledger.database, ledgerTrades(account, 50, { seed: 9 }));
    await redis.set(keys.history(account), alpacaHistory('2024-01-02', 5));
    await recomputeAccount(ctx(), account);
    expect(await listEquityDaily(ledger.database.db, account)).toHaveLength(5);

    await redis.set(keys.history(account), '{"timestamp": "soon"}');
    await redis.set(keys.positions(account), 'not json');
    const result = await recomputeAccount(ctx(), account);
    expect(result.fills).toBe(50);
    expect(await listEquityDaily(ledger.database.db, account)).toHaveLength(5);
    const [overall] = await listPerformanceMetrics(ledger.database.db, account);
    // Without readable positions the open lots are marked at their last fill (and say so).
    expect(result.summary.marks).not.toEqual({});
    expect(Object.values(result.summary.marks).every((m) => m.source === 'last-fill')).toBe(true);
    expect(overall?.total_return_pct).toEqual(expect.any(Number));
  });
});

describe('marks', () => {
  it('records the broker price of each held symbol per New York day and values the positions at it', async () => {
    const account = 'marked';
    await insertTrades(ledger.database.db, [fill(account, 'm-1', 'buy', '100', 'opener')]);
    await redis.set(keys.positions(account), positionsJson({ XYZ: '104.5' }));
    const result = await recomputeAccount(ctx(), account);
    expect(result.summary.marks['XYZ']).toMatchObject({ price: '104.5', source: 'broker' });
    // 10 × (104.5 − 100)
    expect(result.report.strategies['opener']?.total_pnl).toBe('45');
    // The mark and its source reach readers of the hash (the HTTP view and the report show them).
    const published = decodePerformance(await redis.hgetall(keys.performance(account)));
    expect(published?.marks?.['XYZ']).toEqual({
      price: '104.5',
      source: 'broker',
      date: newYorkDay(new Date().toISOString()),
    });
    // The fill's own day (2024) had no broker price recorded: valued at the fill, and said so.
    expect(published?.mark_notes).toEqual([
      { symbol: 'XYZ', reason: 'no broker mark', days: 1, first: '2024-05-06', last: '2024-05-06' },
    ]);
    const conn = await createConnection(ledger.url);
    try {
      const [rows] = await conn.query(
        "SELECT symbol, DATE_FORMAT(date, '%Y-%m-%d') AS date, CAST(price AS CHAR) AS price FROM marks_daily WHERE account = ?",
        [account],
      );
      expect(rows).toEqual([
        { symbol: 'XYZ', date: newYorkDay(new Date().toISOString()), price: '104.500000000' },
      ]);
    } finally {
      await conn.end();
    }
    // A later price the same day replaces it.
    await redis.set(keys.positions(account), positionsJson({ XYZ: '103' }));
    const again = await recomputeAccount(ctx(), account);
    expect(again.report.strategies['opener']?.total_pnl).toBe('30');
  });
});
