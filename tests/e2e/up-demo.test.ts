import { parseFixed } from '@friren/analytics-core';
import { run, type Stack, startStack } from '@friren/cli';
import { loadConfig } from '@friren/config';
import { JOB_NAMES, QUEUES, redisKeys } from '@friren/contracts';
import { countTrades, createDb, type Database, fromSqlDateTime } from '@friren/db';
import { createLogger } from '@friren/observability';
import type { AccountView } from '@friren/orchestrator';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import {
  cliContext,
  deletePrefix,
  eventually,
  getJson,
  REDIS_URL,
  randomSuffix,
  testDatabase,
} from './support.js';

/**
 * `friren up --demo`'s composition in-process (startStack, as the `up` command runs it): the real
 * simulator, poller, Redis, trade-recorder, MariaDB, analytics and orchestrator HTTP API, with the
 * demo engine trading. Then the CLI's read and write commands against that running cluster.
 */
const ALIAS = 'e2e';
const prefix = `friren-test-e2e-${randomSuffix()}`;
const keys = redisKeys(prefix);
const database = testDatabase();
const SIM_KEY = 'sim-key';
/** The simulator's default account: cash and the two positions it starts with. */
const SEED_CASH = '100000';
const SEED_POSITIONS: Record<string, bigint> = { AAPL: parseFixed('50', 9), MSFT: parseFixed('20', 9) };
const STRATEGIES = ['momentum', 'mean-reversion', 'news-sentiment'];

let env: Record<string, string>;
let stack: Stack;
let redis: Redis;
let db: Database;
let viewUrl: string;

beforeAll(async () => {
  env = {
    REDIS_URL,
    MYSQL_URL: database.url,
    FRIREN_PREFIX: prefix,
    FRIREN_ACCOUNTS: ALIAS,
    SNAPSHOT_REFRESH_MS: '500',
    SNAPSHOT_MIN_INTERVAL_MS: '200',
    SNAPSHOT_TTL_MS: '2000',
    HTTP_PORT: String(await freePort()),
    OPS_PORT: '0',
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig(env, { opsPort: 9101 });
  stack = await startStack(config, {
    logger: createLogger({ name: 'e2e', level: 'error' }),
    env,
    demo: { ratePerSec: 10, seed: 42 },
    analytics: { settleMs: 100 },
  });
  viewUrl = stack.urls.accounts[0]!;
  redis = new Redis(REDIS_URL);
  db = createDb(database.url, { poolSize: 2 });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await db?.close();
  if (redis) {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
  await database.drop();
});

async function view(): Promise<AccountView> {
  const { status, body } = await getJson<AccountView>(viewUrl);
  expect(status).toBe(200);
  return body;
}

/** Waits until every fill the demo submitted, its history first, is in the ledger (the demo is stopped). */
async function ledgerCaughtUp(): Promise<number> {
  const { fills, historyFills } = stack.demo!.stats();
  await waitUntil(async () => (await countTrades(db.db, ALIAS)) === fills + historyFills, 15_000, 50);
  return fills + historyFills;
}

/** The New York date of an instant. */
function newYorkDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(at);
}

const HISTORY_ID = /^demo-hist-\d{8}-\d{5}$/;

describe('friren up --demo, end to end', () => {
  it('serves the simulator’s numbers: simulator → poller → Redis → GET /v1/accounts/:alias', async () => {
    expect(stack.broker.mode).toBe('simulator');
    await waitUntil(async () => (await fetch(viewUrl)).status === 200, 15_000, 50);
    // Let the demo trade a little so the broker's numbers are not the seed's, then hold still.
    await waitUntil(() => stack.demo!.stats().fills >= 15, 15_000, 50);
    await stack.demo!.stop();

    const sim = stack.broker.sim!;
    const broker = sim.account(SIM_KEY);
    expect(broker['cash']).not.toBe(SEED_CASH);
    const fields = ['cash', 'equity', 'portfolio_value', 'buying_power', 'long_market_value', 'last_equity'];
    // The last fill asked the poller for a refresh: within a few polls the view has the broker's numbers.
    const v = await eventually(
      async () => {
        const current = await view();
        const snapshot = current.snapshot as Record<string, unknown> | null;
        return fields.every((f) => snapshot?.[f] === broker[f]) ? current : null;
      },
      10_000,
      50,
    );
    expect(v.snapshot?.source).toBe('simulator');
    expect(v.freshness.source).toBe('memory');
    expect(v.freshness.stale).toBe(false);
    expect(v.health).toEqual({ healthy: true, reasons: [] });

    // The positions the poller stored are the broker's, symbol for symbol.
    const stored = JSON.parse((await redis.get(keys.positions(ALIAS))) ?? '[]') as {
      symbol: string;
      qty: string;
    }[];
    const brokerPositions = sim.positions(SIM_KEY).map((p) => [p['symbol'], p['qty']]);
    expect(stored.map((p) => [p.symbol, p.qty]).sort()).toEqual(brokerPositions.sort());
  });

  it('keeps the ledger and the broker consistent: every fill recorded, cash and positions add up', async () => {
    await ledgerCaughtUp();
    const all = await db.db.selectFrom('trades').selectAll().where('account', '=', ALIAS).execute();
    // The seeded history's fills are dated in the past and never went through the broker.
    const trades = all.filter((t) => !HISTORY_ID.test(t.trade_id));
    expect(trades).toHaveLength(stack.demo!.stats().fills);
    expect(trades.length).toBeGreaterThanOrEqual(15);
    for (const t of all) {
      expect(STRATEGIES).toContain(t.strategy_used);
      expect(t.trade_id).toMatch(/^demo-/);
      expect(t.order_id === null).toBe(HISTORY_ID.test(t.trade_id));
      expect(t.finbert_sentiment).not.toBeNull();
      expect(Math.abs(t.finbert_sentiment!)).toBeLessThanOrEqual(1);
      expect(t.confidence_score).toBeGreaterThanOrEqual(0);
      expect(t.confidence_score).toBeLessThanOrEqual(1);
    }

    // Cash: the seed minus what the live buys cost plus what the live sells brought, to the last digit.
    let cash = parseFixed(SEED_CASH, 18);
    const qty = new Map<string, bigint>(Object.entries(SEED_POSITIONS));
    for (const t of trades) {
      const q = parseFixed(t.quantity, 9);
      const notional = q * parseFixed(t.price, 9);
      cash += t.side === 'sell' ? notional : -notional;
      qty.set(t.symbol, (qty.get(t.symbol) ?? 0n) + (t.side === 'buy' ? q : -q));
    }
    const sim = stack.broker.sim!;
    expect(cash).toBe(parseFixed(String(sim.account(SIM_KEY)['cash']), 18));
    const brokerQty = new Map(
      sim.positions(SIM_KEY).map((p) => [String(p['symbol']), parseFixed(String(p['qty']), 9)]),
    );
    for (const [symbol, q] of qty) expect(brokerQty.get(symbol) ?? 0n).toBe(q);
    // The history ends flat, so with it the ledger's positions are still the broker's.
    const withHistory = new Map<string, bigint>(Object.entries(SEED_POSITIONS));
    for (const t of all) {
      const q = parseFixed(t.quantity, 9);
      withHistory.set(t.symbol, (withHistory.get(t.symbol) ?? 0n) + (t.side === 'buy' ? q : -q));
    }
    for (const symbol of new Set([...withHistory.keys(), ...qty.keys()]))
      expect(withHistory.get(symbol) ?? 0n).toBe(qty.get(symbol) ?? 0n);
  });

  it('lands the seeded history first: each strategy has past fills on many New York days', async () => {
    await ledgerCaughtUp();
    const history = await db.db
      .selectFrom('trades')
      .selectAll()
      .where('account', '=', ALIAS)
      .where('trade_id', 'like', 'demo-hist-%')
      .orderBy('id')
      .execute();
    expect(history.length).toBe(stack.demo!.stats().historyFills);
    expect(history.length).toBeGreaterThan(100);
    const today = newYorkDay(new Date());
    const days = new Map<string, Set<string>>();
    for (const t of history) {
      expect(t.trade_id).toMatch(HISTORY_ID);
      const day = newYorkDay(new Date(fromSqlDateTime(t.executed_at)));
      expect(day < today).toBe(true);
      if (!days.has(t.strategy_used)) days.set(t.strategy_used, new Set());
      days.get(t.strategy_used)!.add(day);
    }
    expect([...days.keys()].sort()).toEqual([...STRATEGIES].sort());
    for (const d of days.values()) expect(d.size).toBeGreaterThan(1);
    // Queued before any live fill, so the ledger holds it ahead of them.
    const firstLive = await db.db
      .selectFrom('trades')
      .select('id')
      .where('account', '=', ALIAS)
      .where('trade_id', 'not like', 'demo-hist-%')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(Number(history.at(-1)!.id)).toBeLessThan(Number(firstLive.id));
  });

  it('moves P&L and performance as demo trades flow: recorder → analytics → the view', async () => {
    const before = await eventually(
      async () => {
        const v = await view();
        return v.performance !== null ? v : null;
      },
      15_000,
      50,
    );
    const tradesBefore = before.performance!.overall.trades_count;

    await stack.demo!.start();
    const after = await eventually(
      async () => {
        const v = await view();
        const p = v.performance;
        // Mean-reversion waits for a few seconds of prices before its first trade.
        const all = p !== null && Object.keys(p.strategies).length === STRATEGIES.length;
        return all && p.overall.trades_count >= tradesBefore + 20 && v.pnl.total !== before.pnl.total
          ? v
          : null;
      },
      20_000,
      100,
    );
    await stack.demo!.stop();

    expect(after.performance!.version).toBeGreaterThan(before.performance!.version);
    expect(after.pnl.total).toBe(after.performance!.overall.total_pnl);
    expect(Object.keys(after.performance!.strategies).sort()).toEqual([...STRATEGIES].sort());
    const perStrategy = Object.values(after.performance!.strategies).reduce((n, s) => n + s.trades_count, 0);
    expect(perStrategy).toBe(after.performance!.overall.trades_count);
    // Sells closed lots, so some P&L was realized and scored.
    expect(after.performance!.overall.realized_pnl).not.toBe('0');
    expect(after.performance!.overall.win_rate_pct).not.toBeNull();
  });

  it('friren snapshot / report / health read the running cluster', async () => {
    const fills = await ledgerCaughtUp();
    const sim = stack.broker.sim!;
    // Analytics has folded every fill and the poller has the broker's last numbers.
    await waitUntil(
      async () => {
        const v = await view();
        return (
          v.snapshot?.cash === sim.account(SIM_KEY)['cash'] && v.performance?.overall.trades_count === fills
        );
      },
      10_000,
      50,
    );

    const snap = cliContext(env);
    expect(await run(['snapshot', ALIAS], snap)).toBe(0);
    const cash = String(sim.account(SIM_KEY)['cash']);
    const [whole = '', cents = ''] = cash.split('.');
    const shownCash = `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents.padEnd(2, '0').slice(0, 2)}`;
    expect(snap.out()).toMatch(new RegExp(`^cash +${shownCash.replace('.', '\\.')}$`, 'm'));
    expect(snap.out()).toMatch(/^AAPL +long +\d+ /m);
    expect(snap.out()).toContain('health: healthy');

    const rep = cliContext(env);
    expect(await run(['report'], rep)).toBe(0);
    expect(rep.out()).toMatch(/^strategy +trades +total P&L .*Sharpe .*max DD .*win rate +profit factor/m);
    for (const s of [...STRATEGIES, 'all strategies'])
      expect(rep.out()).toMatch(new RegExp(`^${s} +\\d+ +[+-]?[\\d,]+\\.\\d\\d `, 'm'));

    const json = cliContext(env);
    expect(await run(['report', ALIAS, '--json'], json)).toBe(0);
    const body = JSON.parse(json.out()) as {
      performance: {
        overall: { trades_count: number };
        strategies: Record<string, { sharpe_ratio: number | null }>;
        broker: { source: string } | null;
      };
    };
    expect(body.performance.overall.trades_count).toBe(fills);
    // A month of history gives every strategy a daily series: Sharpe is defined, and each its own.
    const sharpes = STRATEGIES.map((s) => body.performance.strategies[s]?.sharpe_ratio);
    for (const v of sharpes) expect(Number.isFinite(v)).toBe(true);
    expect(new Set(sharpes).size).toBeGreaterThan(1);
    expect(body.performance.broker?.source).toBe('simulator');
    expect(rep.out()).toContain('account (broker) — SIMULATOR');
    for (const s of STRATEGIES)
      expect(rep.out()).toMatch(new RegExp(`^${s} +\\d+ +\\S+ +\\S+ +\\S+ +-?\\d+\\.\\d\\d `, 'm'));

    const health = cliContext(env);
    expect(await run(['health'], health)).toBe(0);
    expect(health.out()).toMatch(/^e2e +healthy /m);

    const unknown = cliContext(env);
    expect(await run(['snapshot', 'nobody'], unknown)).toBe(2);
  });

  it('friren submit (flags and JSON) queues fills the recorder stores; bad input is exit 2', async () => {
    const flags = cliContext(env);
    const args = ['submit', '--symbol', 'TSLA', '--side', 'buy', '--quantity', '3', '--price', '431.105'];
    expect(
      await run(
        [...args, '--trade-id', 'e2e-cli-1', '--strategy', 'manual-e2e', '--confidence', '0.7'],
        flags,
      ),
    ).toBe(0);
    expect(flags.out()).toMatch(/^queued e2e-cli-1 as job \S+$/m);

    const many = cliContext(env);
    const trades = [1, 2].map((i) => ({
      trade_id: `e2e-json-${i}`,
      account: ALIAS,
      symbol: 'TSLA',
      side: 'sell',
      quantity: '1',
      price: '432.5',
      // After the flag-submitted buy, so the ledger closes that position rather than opening a short.
      timestamp: new Date(Date.now() + 1_000).toISOString(),
      strategy_used: 'manual-e2e',
    }));
    expect(await run(['submit', '--json', JSON.stringify(trades)], many)).toBe(0);
    expect(many.out().trim().split('\n')).toHaveLength(2);

    const bad = cliContext(env);
    const invalid = { ...trades[0], trade_id: 'e2e-bad', quantity: '-1', extra: true };
    expect(await run(['submit', '--json', JSON.stringify(invalid)], bad)).toBe(2);
    expect(bad.err()).toContain('quantity: must be > 0');
    expect(bad.err()).toContain('extra: unknown field');

    const rows = await eventually(
      async () => {
        const r = await db.db
          .selectFrom('trades')
          .selectAll()
          .where('strategy_used', '=', 'manual-e2e')
          .orderBy('trade_id')
          .execute();
        return r.length === 3 ? r : null;
      },
      10_000,
      50,
    );
    expect(rows.map((r) => [r.trade_id, r.side, r.quantity, r.price])).toEqual([
      ['e2e-cli-1', 'buy', '3.000000000', '431.105000000'],
      ['e2e-json-1', 'sell', '1.000000000', '432.500000000'],
      ['e2e-json-2', 'sell', '1.000000000', '432.500000000'],
    ]);
    expect(rows[0]?.confidence_score).toBe(0.7);
    expect(await countTrades(db.db, 'e2e-bad')).toBe(0);
  });

  it('friren replay-rejected lists a rejected trade and replays it patched; migrate is idempotent', async () => {
    // A producer that skips validation: the recorder keeps the job in rejected_trades with a reason.
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.trades, { connection, prefix });
    try {
      await queue.add(
        JOB_NAMES.trade,
        {
          trade_id: 'e2e-replay-1',
          account: ALIAS,
          symbol: 'NVDA',
          side: 'buy',
          quantity: '1.0000000001',
          price: '182.5',
          timestamp: '2026-11-25T15:00:00Z',
          strategy_used: 'manual-e2e',
        },
        { jobId: 'e2e-replay-job' },
      );
    } finally {
      await queue.close();
      await connection.quit();
    }
    const rejected = await eventually(
      async () => {
        const r = await db.db.selectFrom('rejected_trades').selectAll().execute();
        return r.length === 1 ? r[0] : null;
      },
      10_000,
      50,
    );

    const list = cliContext(env);
    expect(await run(['replay-rejected', '--list'], list)).toBe(0);
    expect(list.out()).toMatch(
      new RegExp(`^ *${rejected!.id} +\\S+ +e2e-replay-job +quantity: at most 9 decimal places`, 'm'),
    );

    const replay = cliContext(env);
    const patch = JSON.stringify({ quantity: '1' });
    expect(await run(['replay-rejected', '--id', String(rejected!.id), '--patch', patch], replay)).toBe(0);
    expect(replay.out()).toMatch(/^submitted job \S+: \{.*"quantity":"1"/m);
    const replayed = await eventually(
      () => db.db.selectFrom('trades').selectAll().where('trade_id', '=', 'e2e-replay-1').executeTakeFirst(),
      10_000,
      50,
    );
    expect(replayed.quantity).toBe('1.000000000');

    const missing = cliContext(env);
    expect(await run(['replay-rejected', '--id', '999999'], missing)).toBe(1);
    expect(missing.err()).toContain('no rejected trade with id 999999');

    const migrate = cliContext(env);
    expect(await run(['migrate'], migrate)).toBe(0);
    expect(migrate.out()).toContain(`database ${database.name} is up to date`);
  });
});
