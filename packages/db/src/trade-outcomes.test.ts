import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { recordTrades } from './trade-outcomes.js';
import { countTrades, listTradesAfter, type TradeRow } from './trades.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await migrateToLatest(t.db);
});

afterAll(async () => {
  await t?.drop();
});

const buy: TradeRow = {
  trade_id: 'X',
  account: 'a1',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '10',
  price: '100',
  fees: '0',
  timestamp: '2026-11-25T15:21:37.123456Z',
  strategy_used: 'momentum',
  metadata: { b: 1, a: [1, 2] },
};

describe('recordTrades', () => {
  it('inserts new trades; the same trade again is a duplicate naming the ledger id', async () => {
    expect(await recordTrades(t.db, [buy])).toEqual([{ status: 'inserted' }]);
    const [stored] = await listTradesAfter(t.db, 'a1', '0', 10);
    // Key order of metadata is not part of the trade.
    const again = { ...buy, metadata: { a: [1, 2], b: 1 } };
    expect(await recordTrades(t.db, [again])).toEqual([{ status: 'duplicate', id: stored!.id }]);
    expect(await countTrades(t.db, 'a1')).toBe(1);
  });

  it('a different trade under the same (account, trade_id) is a conflict naming each differing field', async () => {
    const [stored] = await listTradesAfter(t.db, 'a1', '0', 10);
    const sell = { ...buy, side: 'sell' as const, quantity: '999', price: '1.23' };
    const [outcome] = await recordTrades(t.db, [sell]);
    expect(outcome).toEqual({
      status: 'conflict',
      id: stored!.id,
      differences: [
        { field: 'side', recorded: '"buy"', received: '"sell"' },
        { field: 'quantity', recorded: '"10"', received: '"999"' },
        { field: 'price', recorded: '"100"', received: '"1.23"' },
      ],
    });
    // The ledger still holds the first trade, untouched.
    const [after] = await listTradesAfter(t.db, 'a1', '0', 10);
    expect(after).toEqual(stored);
  });

  it('optional fields count: absent and present differ', async () => {
    const [outcome] = await recordTrades(t.db, [{ ...buy, order_id: 'ord-1', metadata: undefined }]);
    expect(outcome).toMatchObject({
      status: 'conflict',
      differences: [
        { field: 'order_id', recorded: 'absent', received: '"ord-1"' },
        // Canonical JSON text (sorted keys), shown as a quoted string.
        { field: 'metadata', recorded: JSON.stringify('{"a":[1,2],"b":1}'), received: 'absent' },
      ],
    });
  });

  it('the same trade_id in another account is another trade', async () => {
    expect(await recordTrades(t.db, [{ ...buy, account: 'a2' }])).toEqual([{ status: 'inserted' }]);
    expect(await countTrades(t.db, 'a2')).toBe(1);
  });

  it('classifies a mixed batch in order: new, repeated in the batch, conflicting in the batch, already stored', async () => {
    const n1 = { ...buy, trade_id: 'mix-1', account: 'mix' };
    const n2 = { ...buy, trade_id: 'mix-2', account: 'mix' };
    const outcomes = await recordTrades(t.db, [n1, n2, n1, { ...n2, fees: '0.5' }, buy]);
    const rows = await listTradesAfter(t.db, 'mix', '0', 10);
    expect(rows.map((r) => r.trade_id)).toEqual(['mix-1', 'mix-2']);
    expect(outcomes.map((o) => o.status)).toEqual([
      'inserted',
      'inserted',
      'duplicate',
      'conflict',
      'duplicate',
    ]);
    expect(outcomes[2]).toEqual({ status: 'duplicate', id: rows[0]!.id });
    expect(outcomes[3]).toMatchObject({
      id: rows[1]!.id,
      differences: [{ field: 'fees', recorded: '"0"', received: '"0.5"' }],
    });
  });

  it('concurrent batches of the same keys: each key stored once, every other copy a duplicate', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => ({ ...buy, account: 'race', trade_id: `r-${i}` }));
    const runs = await Promise.all([0, 1, 2].map(() => recordTrades(t.db, batch)));
    expect(await countTrades(t.db, 'race')).toBe(200);
    const inserted = runs.flat().filter((o) => o.status === 'inserted').length;
    const duplicates = runs.flat().filter((o) => o.status === 'duplicate').length;
    expect([inserted, duplicates]).toEqual([200, 400]);
  });
});
