import { type CompiledQuery, Kysely, MysqlDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { listRejected } from './rejected-trades.js';
import type { DB } from './schema.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { recordTrades } from './trade-outcomes.js';
import { COUNT_THROUGH_SQL, TRADE_STREAM_SQL } from './trade-stream.js';
import { countTrades, insertTrades, listTradesAfter, type TradeRow } from './trades.js';

/**
 * The plans of the queries the apps run against the ledger (every one goes through this package:
 * the recorder's classification, the analytics reads, the operator's listings), on a ledger where
 * one account is busy and one is quiet. A read of the quiet account must touch the quiet
 * account's rows, not the busy one's.
 */

let t: TestDatabase;
let logged: Kysely<DB>;
const captured: CompiledQuery[] = [];
const BUSY = 20_000;

function row(account: string, i: number): TradeRow {
  return {
    trade_id: `${account}-${i}`,
    account,
    symbol: 'AAPL',
    side: i % 2 === 0 ? 'buy' : 'sell',
    quantity: '1',
    price: '100',
    fees: '0',
    timestamp: `2026-11-25T15:00:00.${String(i % 1_000_000).padStart(6, '0')}Z`,
    strategy_used: `s${i % 3}`,
  };
}

interface PlanRow {
  table: string | null;
  key: string | null;
  rows: string | number | null;
}

async function explain(sqlText: string, parameters: readonly unknown[]): Promise<PlanRow[]> {
  const [rows] = await t.pool.promise().query(`EXPLAIN ${sqlText}`, [...parameters]);
  return rows as PlanRow[];
}

/** The one plan row for `trades`. */
async function tradesPlan(sqlText: string, parameters: readonly unknown[]): Promise<PlanRow> {
  const plan = (await explain(sqlText, parameters)).filter((p) => p.table === 'trades');
  expect(plan).toHaveLength(1);
  return plan[0]!;
}

beforeAll(async () => {
  t = await createTestDatabase();
  await migrateToLatest(t.db);
  // The quiet account's trades come first, so every busy row has a higher id than the cursor.
  await insertTrades(
    t.db,
    [0, 1, 2].map((i) => row('quiet', i)),
  );
  for (let i = 0; i < BUSY; i += 1000) {
    await insertTrades(
      t.db,
      Array.from({ length: 1000 }, (_, k) => row('busy', i + k)),
    );
  }
  await t.pool.promise().query('ANALYZE TABLE trades');
  logged = new Kysely<DB>({
    dialect: new MysqlDialect({ pool: t.pool }),
    log: (event) => {
      if (event.level === 'query') captured.push(event.query);
    },
  });
}, 60_000);

afterAll(async () => {
  await t?.drop();
});

function capturedBy(pattern: RegExp): CompiledQuery {
  const q = captured.find((c) => pattern.test(c.sql));
  expect(q, `no query matching ${pattern}`).toBeDefined();
  return q!;
}

describe('query plans on a ledger with a busy and a quiet account', () => {
  it('the analytics stream of a quiet account reads its rows through (account, id), not the busy ones', async () => {
    const plan = await tradesPlan(TRADE_STREAM_SQL, [2_000_000, 'quiet', '0']);
    expect(plan.key).toBe('trades_account_id_idx');
    expect(Number(plan.rows)).toBeLessThanOrEqual(10);
  });

  it('the fold check (count through a cursor) stays within the account', async () => {
    const plan = await tradesPlan(COUNT_THROUGH_SQL, ['quiet', String(BUSY)]);
    expect(plan.key).toMatch(/^trades_account_/);
    expect(Number(plan.rows)).toBeLessThanOrEqual(10);
  });

  it('listTradesAfter and countTrades (as run) stay within the account', async () => {
    expect(await listTradesAfter(logged, 'quiet', '0', 100)).toHaveLength(3);
    expect(await countTrades(logged, 'quiet')).toBe(3);
    for (const pattern of [/from `trades` where .*order by/i, /count\(\*\).*from `trades`/i]) {
      const q = capturedBy(pattern);
      const plan = await tradesPlan(q.sql, q.parameters);
      expect(plan.key, q.sql).toMatch(/^trades_account_/);
      expect(Number(plan.rows), q.sql).toBeLessThanOrEqual(10);
    }
  });

  it("the recorder's duplicate check reads the batch's keys by the unique (account, trade_id)", async () => {
    const seen = captured.length;
    const outcomes = await recordTrades(logged, [row('quiet', 0), row('busy', 5)]);
    expect(outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate']);
    const q = captured.slice(seen).find((c) => /\(account, trade_id\) IN/.test(c.sql));
    expect(q).toBeDefined();
    const plan = await tradesPlan(q!.sql, q!.parameters);
    expect(plan.key).toBe('trades_account_trade_id_unique');
    expect(Number(plan.rows)).toBeLessThanOrEqual(4);
  });

  it('the rejected-trades listing pages by primary key', async () => {
    await listRejected(logged, { afterId: '0', limit: 10 });
    const q = capturedBy(/from `rejected_trades`/i);
    const plan = (await explain(q.sql, q.parameters)).find((p) => p.table === 'rejected_trades');
    expect(plan?.key).toBe('PRIMARY');
  });
});
