import type { TradeJob } from '@friren/contracts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { InsertRejectedError } from './insert-ignore.js';
import { migrateToLatest } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { countTrades, insertTrades, listTradesAfter, type TradeRow } from './trades.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await migrateToLatest(t.db);
});

afterAll(async () => {
  await t?.drop();
});

let seq = 0;
function trade(overrides: Partial<TradeRow> = {}): TradeRow {
  seq += 1;
  return {
    trade_id: `t-${seq}`,
    account: 'main',
    symbol: 'AAPL',
    side: 'buy',
    quantity: '10',
    price: '187.25',
    fees: '0',
    timestamp: '2026-11-25T15:21:37.123456Z',
    strategy_used: 'momentum',
    ...overrides,
  };
}

describe('insertTrades', () => {
  it('is a no-op for an empty batch', async () => {
    expect(await insertTrades(t.db, [])).toBe(0);
  });

  it('counts only new rows: duplicates in one batch and across batches are skipped', async () => {
    const a = trade({ account: 'dup' });
    const b = trade({ account: 'dup' });
    expect(await insertTrades(t.db, [a, b, { ...a, price: '999' }])).toBe(2);
    const c = trade({ account: 'dup' });
    expect(await insertTrades(t.db, [b, c, a, c])).toBe(1);
    expect(await countTrades(t.db, 'dup')).toBe(3);
    // The first write of a trade_id wins; a redelivery changes nothing.
    const stored = await listTradesAfter(t.db, 'dup', '0', 10);
    expect(stored.map((s) => [s.trade_id, s.price])).toEqual([
      [a.trade_id, '187.25'],
      [b.trade_id, '187.25'],
      [c.trade_id, '187.25'],
    ]);
  });

  it('treats trade ids as case-sensitive', async () => {
    expect(await insertTrades(t.db, [trade({ trade_id: 'Case-1', account: 'case' })])).toBe(1);
    expect(await insertTrades(t.db, [trade({ trade_id: 'case-1', account: 'case' })])).toBe(1);
    expect(await countTrades(t.db, 'case')).toBe(2);
  });

  it('reads back exact decimals, microsecond times and every optional field as written', async () => {
    const full = trade({
      account: 'exact',
      symbol: 'BTC/USD',
      side: 'sell',
      quantity: '123456789012345678901234567.123456789',
      price: '0.000000001',
      fees: '1.5',
      timestamp: '2026-11-25T23:59:59.999999Z',
      finbert_sentiment: -0.123456789012345,
      confidence_score: 0.1,
      order_id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
      metadata: { note: 'первый', nested: { n: 1.5, list: [1, 'two', null, true] } },
    });
    const bare = trade({ account: 'exact', timestamp: '1970-01-01T00:00:00.000001Z' });
    expect(await insertTrades(t.db, [full, bare])).toBe(2);
    const [a, b] = await listTradesAfter(t.db, 'exact', '0', 10);
    expect(a).toMatchObject({
      trade_id: full.trade_id,
      account: 'exact',
      symbol: 'BTC/USD',
      side: 'sell',
      quantity: full.quantity,
      price: full.price,
      fees: '1.5',
      executed_at: full.timestamp,
      strategy_used: 'momentum',
      finbert_sentiment: full.finbert_sentiment,
      confidence_score: 0.1,
      order_id: full.order_id,
    });
    expect(a?.metadata).toEqual(full.metadata);
    expect(a?.id).toMatch(/^\d+$/);
    expect(b).toMatchObject({
      executed_at: '1970-01-01T00:00:00.000001Z',
      fees: '0',
      finbert_sentiment: null,
      confidence_score: null,
      order_id: null,
      metadata: null,
    });
  });

  it('keeps unicode strategy names distinct and intact', async () => {
    const names = ['动量策略', 'Momentum 🚀', 'momentum 🚀', 'résumé', 'resume'];
    await insertTrades(
      t.db,
      names.map((strategy_used) => trade({ account: 'unicode', strategy_used })),
    );
    const stored = await listTradesAfter(t.db, 'unicode', '0', 10);
    expect(stored.map((s) => s.strategy_used)).toEqual(names);
  });

  it('stores hostile strings byte for byte (quotes, backslashes, placeholders, NUL, comments)', async () => {
    const hostile = [
      "x'); DROP TABLE trades; --",
      "back\\slash \\' end",
      'question ? marks ??',
      'nul\u0000byte and \u001a ctrl-z',
      '"double" `tick` /* c */ #hash',
      'tab\tnew\nline\rcr',
    ];
    await insertTrades(
      t.db,
      hostile.map((s, i) =>
        trade({ account: 'hostile', strategy_used: s, order_id: s, metadata: { s, i, q: "?'\\" } }),
      ),
    );
    const stored = await listTradesAfter(t.db, 'hostile', '0', 10);
    expect(stored.map((r) => r.strategy_used)).toEqual(hostile);
    expect(stored.map((r) => r.order_id)).toEqual(hostile);
    expect(stored.map((r) => r.metadata)).toEqual(hostile.map((s, i) => ({ s, i, q: "?'\\" })));
    expect(await countTrades(t.db)).toBeGreaterThan(0);
  });

  it('stamps recorded_at in UTC at insert time', async () => {
    const before = Date.now();
    await insertTrades(t.db, [trade({ account: 'clock' })]);
    const [row] = await listTradesAfter(t.db, 'clock', '0', 1);
    const recorded = Date.parse(row?.recorded_at ?? '');
    expect(row?.recorded_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    // Generous bounds for a shared, busy machine; a time-zone slip would be off by hours.
    expect(Math.abs(recorded - before)).toBeLessThan(60_000);
  });

  it('rolls back the whole batch instead of storing an altered value', async () => {
    const ok = trade({ account: 'strict' });
    const tooPrecise = trade({ account: 'strict', price: '1.0000000001' });
    await expect(insertTrades(t.db, [ok, tooPrecise])).rejects.toBeInstanceOf(InsertRejectedError);
    const tooLong = trade({ account: 'strict', symbol: 'X'.repeat(22) });
    await expect(insertTrades(t.db, [ok, tooLong])).rejects.toThrow(/symbol/);
    expect(await countTrades(t.db, 'strict')).toBe(0);
    // A duplicate alongside is still fine.
    expect(await insertTrades(t.db, [ok, ok])).toBe(1);
  });

  it('refuses a non-canonical timestamp before touching the database', async () => {
    await expect(insertTrades(t.db, [trade({ timestamp: '2026-11-25T15:21:37+01:00' })])).rejects.toThrow(
      RangeError,
    );
  });

  it('splits a batch larger than one statement and still counts exactly', async () => {
    const rows = Array.from({ length: 2101 }, (_, i) =>
      trade({ account: 'bulk', trade_id: `bulk-${i % 2100}` }),
    );
    expect(await insertTrades(t.db, rows)).toBe(2100);
    expect(await countTrades(t.db, 'bulk')).toBe(2100);
  });

  it('accepts a parsed contract TradeJob as a TradeRow', () => {
    expectTypeOf<TradeJob>().toExtend<TradeRow>();
  });
});

describe('listTradesAfter and countTrades', () => {
  it('pages one account by id after the cursor', async () => {
    await insertTrades(
      t.db,
      [1, 2, 3, 4, 5].map(() => trade({ account: 'page' })),
    );
    await insertTrades(t.db, [trade({ account: 'other-page' })]);
    const first = await listTradesAfter(t.db, 'page', '0', 2);
    expect(first).toHaveLength(2);
    const rest = await listTradesAfter(t.db, 'page', first[1]!.id, 10);
    expect(rest).toHaveLength(3);
    const ids = [...first, ...rest].map((r) => BigInt(r.id));
    expect(ids).toEqual([...ids].sort((x, y) => (x < y ? -1 : 1)));
    expect(new Set([...first, ...rest].map((r) => r.account))).toEqual(new Set(['page']));
    expect(await listTradesAfter(t.db, 'page', rest[2]!.id, 10)).toEqual([]);
    expect(await listTradesAfter(t.db, 'page', '18446744073709551615', 10)).toEqual([]);
  });

  it('counts per account and overall', async () => {
    const { rows } = await sql<{ n: string }>`SELECT COUNT(*) AS n FROM trades`.execute(t.db);
    expect(await countTrades(t.db)).toBe(Number(rows[0]?.n));
    expect(await countTrades(t.db, 'page')).toBe(5);
    expect(await countTrades(t.db, 'nobody')).toBe(0);
  });

  it('refuses a malformed cursor or limit', async () => {
    await expect(listTradesAfter(t.db, 'page', '1 OR 1=1', 10)).rejects.toThrow(RangeError);
    await expect(listTradesAfter(t.db, 'page', '0', 0)).rejects.toThrow(RangeError);
  });
});
