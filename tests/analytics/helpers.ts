import type { CachedState, RecomputeContext } from '@friren/analytics';
import { type AnalyticsTrade, syntheticTrades } from '@friren/analytics-core';
import { type FrirenConfig, loadConfig } from '@friren/config';
import { redisKeys } from '@friren/contracts';
import {
  type Database,
  insertTrades,
  listEquityDaily,
  listPerformanceDaily,
  listPerformanceMetrics,
  type TradeRow,
} from '@friren/db';
import { createLogger, type Logger } from '@friren/observability';
import { Redis } from 'ioredis';

import { REDIS_URL } from '../support/shared-servers.js';

export {
  createTestLedger,
  deletePrefix,
  MYSQL_SERVER_URL,
  REDIS_URL,
  randomSuffix,
  type TestLedger,
} from '../support/shared-servers.js';

export function testConfig(opts: {
  mysqlUrl: string;
  prefix: string;
  accounts: readonly string[];
  pnlMethod?: 'fifo' | 'average';
}): FrirenConfig {
  return loadConfig(
    {
      REDIS_URL,
      MYSQL_URL: opts.mysqlUrl,
      FRIREN_PREFIX: opts.prefix,
      FRIREN_ACCOUNTS: opts.accounts.join(','),
      PNL_METHOD: opts.pnlMethod ?? 'fifo',
      OPS_PORT: '0',
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
    },
    {},
  );
}

export const silentLogger: Logger = createLogger({
  name: 'analytics-test',
  level: process.env['TEST_LOG_LEVEL'] ?? 'silent',
});

/** A recompute context of its own (own cache): what a separate worker replica would have. */
export function recomputeContext(opts: {
  database: Database;
  redis: Redis;
  prefix: string;
  method?: 'fifo' | 'average';
  settleMs?: number;
}): RecomputeContext {
  return {
    database: opts.database,
    redis: opts.redis,
    keys: redisKeys(opts.prefix),
    method: opts.method ?? 'fifo',
    settleMs: opts.settleMs ?? 0,
    cache: new Map<string, CachedState>(),
    logger: silentLogger,
  };
}

/** Synthetic fills as ledger rows for `account` (ids are assigned by the ledger). */
export function ledgerTrades(
  account: string,
  count: number,
  opts: { seed?: number; perDay?: number; offset?: number } = {},
): TradeRow[] {
  const trades = syntheticTrades(count + (opts.offset ?? 0), {
    account,
    seed: opts.seed ?? 7,
    symbols: 6,
    strategies: 3,
    perDay: opts.perDay ?? 150,
  }).slice(opts.offset ?? 0);
  return trades.map((t) => toRow(t));
}

function toRow(t: AnalyticsTrade): TradeRow {
  return {
    trade_id: `${t.account}-${t.trade_id}`,
    account: t.account,
    symbol: t.symbol,
    side: t.side,
    quantity: t.quantity,
    price: t.price,
    fees: t.fees,
    // The ledger keeps microseconds: synthetic times have milliseconds.
    timestamp: t.timestamp.replace(/\.(\d{3})Z$/, '.$1000Z'),
    strategy_used: t.strategy_used,
    ...(t.finbert_sentiment == null ? {} : { finbert_sentiment: t.finbert_sentiment }),
    ...(t.confidence_score == null ? {} : { confidence_score: t.confidence_score }),
  };
}

export function insertLedger(database: Database, rows: readonly TradeRow[]): Promise<number> {
  return insertTrades(database.db, rows);
}

/**
 * An Alpaca-shaped daily history (raw body) over the weekdays from `from` for `days` days: equity
 * walks ±1 %, `profit_loss_pct` is that day's return.
 */
export function alpacaHistory(from: string, days: number, seed = 3): string {
  const timestamp: number[] = [];
  const equity: number[] = [];
  const profit_loss: number[] = [];
  const profit_loss_pct: number[] = [];
  let value = 100_000;
  let x = seed;
  for (let t = Date.parse(`${from}T05:00:00Z`); timestamp.length < days; t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    x = (x * 1103515245 + 12345) % 2147483648;
    const r = Math.round(((x / 2147483648) * 0.02 - 0.01) * 1e6) / 1e6;
    const before = value;
    value = Math.round(value * (1 + r) * 100) / 100;
    timestamp.push(t / 1000);
    equity.push(value);
    profit_loss.push(Math.round((value - before) * 100) / 100);
    profit_loss_pct.push(r);
  }
  return JSON.stringify({
    timestamp,
    equity,
    profit_loss,
    profit_loss_pct,
    base_value: 100_000,
    timeframe: '1D',
  });
}

/** Positions (Alpaca objects, decimal strings) with the given current prices. */
export function positionsJson(prices: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.entries(prices).map(([symbol, current_price]) => ({
      symbol,
      qty: '1',
      side: 'long',
      current_price,
      market_value: current_price,
    })),
  );
}

/** Everything analytics wrote for an account, minus what legitimately differs between runs. */
export async function analyticsOutput(database: Database, redis: Redis, prefix: string, account: string) {
  const metrics = (await listPerformanceMetrics(database.db, account)).map(({ as_of: _, ...rest }) => rest);
  const daily = await listPerformanceDaily(database.db, account);
  const equity = await listEquityDaily(database.db, account);
  const hash = await redis.hgetall(redisKeys(prefix).performance(account));
  const figures = Object.fromEntries(
    Object.entries(hash).filter(([field]) => field !== 'version' && !field.endsWith('as_of')),
  );
  return { metrics, daily, equity, hash: figures };
}

export function redisClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: null });
}
