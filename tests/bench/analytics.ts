/**
 * Analytics benchmark (not a test): 1M synthetic trades over 50 symbols and 5 strategies.
 *
 *   node --conditions=@friren/source --import tsx tests/bench/analytics.ts [trades]
 *
 * 1. the in-memory fold (`AnalyticsAccumulator`), FIFO;
 * 2. a full rebuild from MariaDB: the worker's own recompute from cursor 0 — stream the ledger, fold,
 *    write state, metrics, daily rows and the Redis hash in one transaction;
 * 3. incremental recomputes of 1k new trades on top of that history (state cached, as in a running
 *    worker, whose state checkpoint is written every 30 s, not every run), plus what a run costs
 *    when it also writes the checkpoint, and with a cold cache (state reloaded from the database).
 * Goals: fold ≥ 1M trades/s, rebuild ≤ 3 s, incremental ≤ 50 ms. Uses its own database and Redis
 * prefix, both removed at the end. The 1M-row load (LOAD DATA LOCAL INFILE) is set-up, not measured.
 * Wall-clock figures are printed with the process CPU time beside them: on a shared machine the
 * wall clock mostly measures the neighbours. `BENCH_PROFILE=<file.cpuprofile>` writes a CPU profile
 * of the incremental rounds; `BENCH_REBUILDS=<n>` sets the number of rebuilds (default 3).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { Readable } from 'node:stream';
import {
  type CachedState,
  DEFAULT_ANALYTICS_SETTINGS,
  type RecomputeContext,
  recomputeAccount,
} from '@friren/analytics';
import { AnalyticsAccumulator, type AnalyticsTrade, syntheticTrades } from '@friren/analytics-core';
import { redisKeys } from '@friren/contracts';
import {
  createDb,
  ensureDatabase,
  listPerformanceDaily,
  listPerformanceMetrics,
  migrateToLatest,
  quoteIdentifier,
} from '@friren/db';
import { createLogger } from '@friren/observability';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1_000;
const INCREMENTAL_ROUNDS = 5;
const REBUILDS = Number(process.env['BENCH_REBUILDS'] ?? 3);
const PROFILE = process.env['BENCH_PROFILE'];
const ACCOUNT = 'bench';
const SERVER = process.env['MYSQL_TEST_URL'] ?? 'mysql://root@127.0.0.1:3306/';
const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';

const ms = (n: number) => `${n.toFixed(n < 100 ? 1 : 0)} ms`;
const rate = (count: number, millis: number) =>
  `${Math.round((count / millis) * 1000).toLocaleString('en-US')}/s`;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const verdict = (ok: boolean) => (ok ? 'meets goal' : 'MISSES goal');

const all = syntheticTrades(TOTAL + INCREMENTAL_ROUNDS * BATCH, {
  symbols: 50,
  strategies: 5,
  seed: 42,
  account: ACCOUNT,
});
const history = all.slice(0, TOTAL);

// 1. In-memory fold.
const foldCpu: number[] = [];
function fold(): number {
  const acc = new AnalyticsAccumulator({ method: 'fifo' });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  acc.addAll(history);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  foldCpu.push((cpu.user + cpu.system) / 1000);
  return wall;
}
fold(); // warm-up: let the JIT settle on the fold's shapes
foldCpu.length = 0;
const folds = [fold(), fold(), fold()];
const foldBest = Math.min(...folds);
console.log(
  `fold (in memory, FIFO): best ${ms(foldBest)} = ${rate(TOTAL, foldBest)}, median ${ms(median(folds))} — ${verdict((TOTAL / foldBest) * 1000 >= 1_000_000)}; ` +
    `CPU time best ${ms(Math.min(...foldCpu))} = ${rate(TOTAL, Math.min(...foldCpu))}`,
);

// 2. The ledger in its own database.
const dbName = `friren_test_bench_${randomBytes(4).toString('hex')}`;
const url = `${new URL(dbName, SERVER).toString()}?flags=LOCAL_FILES`;
const prefix = `friren-bench-${randomBytes(4).toString('hex')}`;
const keys = redisKeys(prefix);
await ensureDatabase(url);
const database = createDb(url, { poolSize: 4 });
const redis = new Redis(REDIS_URL);
try {
  await migrateToLatest(database.db);
  let t0 = performance.now();
  await loadTrades(history, 0);
  console.log(
    `setup: loaded ${TOTAL.toLocaleString('en-US')} trades with LOAD DATA in ${ms(performance.now() - t0)}`,
  );
  await redis.set(keys.history(ACCOUNT), dailyHistory(history));
  await redis.set(keys.positions(ACCOUNT), positions(history));

  const ctx: RecomputeContext = {
    database,
    redis,
    keys,
    method: 'fifo',
    settleMs: 0,
    checkpointMs: DEFAULT_ANALYTICS_SETTINGS.checkpointMs,
    cache: new Map<string, CachedState>(),
    logger: createLogger({ name: 'bench', level: 'warn' }),
  };
  const rebuilds: number[] = [];
  const rebuildCpu: number[] = [];
  for (let i = 0; i < REBUILDS; i++) {
    const cpu0 = process.cpuUsage();
    const r = await recomputeAccount(ctx, ACCOUNT, { rebuild: 'requested' });
    const cpu = process.cpuUsage(cpu0);
    if (r.fills !== TOTAL) throw new Error(`rebuild folded ${r.fills} trades, expected ${TOTAL}`);
    rebuilds.push(r.durationMs);
    rebuildCpu.push((cpu.user + cpu.system) / 1000);
  }
  const rebuildBest = Math.min(...rebuilds);
  console.log(
    `rebuild from MariaDB: best ${ms(rebuildBest)} = ${rate(TOTAL, rebuildBest)}, runs ${rebuilds.map(ms).join(', ')} — ${verdict(rebuildBest <= 3000)}; ` +
      `this process's CPU time ${rebuildCpu.map(ms).join(', ')}`,
  );

  // 3. Incremental batches on top of the 1M history.
  const incrementals: number[] = [];
  const incrementalCpu: number[] = [];
  const session = PROFILE === undefined ? undefined : new Session();
  if (session !== undefined) {
    session.connect();
    await session.post('Profiler.enable');
  }
  for (let round = 0; round < INCREMENTAL_ROUNDS; round++) {
    const batch = all.slice(TOTAL + round * BATCH, TOTAL + (round + 1) * BATCH);
    await loadTrades(batch, TOTAL + round * BATCH);
    if (session !== undefined) await session.post('Profiler.start');
    const cpu0 = process.cpuUsage();
    t0 = performance.now();
    const r = await recomputeAccount(ctx, ACCOUNT);
    incrementals.push(performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    incrementalCpu.push((cpu.user + cpu.system) / 1000);
    if (session !== undefined) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(`${PROFILE}.${round}.cpuprofile`, JSON.stringify(profile));
    }
    if (r.folded !== BATCH || r.rebuilt !== null)
      throw new Error(`incremental folded ${r.folded}, rebuilt ${r.rebuilt}`);
  }
  session?.disconnect();
  const incremental = median(incrementals);
  console.log(
    `incremental ${BATCH} trades on ${TOTAL.toLocaleString('en-US')}: median ${ms(incremental)}, runs ${incrementals.map(ms).join(', ')} — ${verdict(incremental <= 50)}; ` +
      `this process's CPU time median ${ms(median(incrementalCpu))}, runs ${incrementalCpu.map(ms).join(', ')}`,
  );
  const withCheckpoint = await recomputeAccount(ctx, ACCOUNT, { checkpoint: true });
  if (!withCheckpoint.checkpointed) throw new Error('expected a checkpoint');
  console.log(
    `  the same run writing the state checkpoint (every 30 s in the worker): ${ms(withCheckpoint.durationMs)}`,
  );
  ctx.cache.clear();
  const cold = await recomputeAccount(ctx, ACCOUNT);
  console.log(`  cold cache (state reloaded from the database, no new trades): ${ms(cold.durationMs)}`);
  console.log(`ratio rebuild / incremental: ${(rebuildBest / incremental).toFixed(0)}×`);

  // Sanity: the incremental result equals a rebuild's.
  const snapshot = async () => ({
    metrics: (await listPerformanceMetrics(database.db, ACCOUNT)).map(({ as_of: _, ...r }) => r),
    daily: await listPerformanceDaily(database.db, ACCOUNT),
  });
  const before = await snapshot();
  await recomputeAccount(ctx, ACCOUNT, { rebuild: 'requested' });
  const same = JSON.stringify(await snapshot()) === JSON.stringify(before);
  console.log(`rebuild equals incremental: ${same ? 'yes' : 'NO'}`);
  if (!same) process.exitCode = 1;
} finally {
  await deletePrefix();
  await redis.quit();
  await database.close();
  const conn = await createConnection(SERVER);
  await conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(dbName)}`);
  await conn.end();
}

/** LOAD DATA LOCAL INFILE from a generated TSV stream; recorded an hour ago, so settled. */
async function loadTrades(trades: readonly AnalyticsTrade[], offset: number): Promise<void> {
  function* chunks(): Generator<Buffer> {
    let buf = '';
    for (let i = 0; i < trades.length; i++) {
      const t = trades[i] as AnalyticsTrade;
      const ts = `${t.timestamp.slice(0, 10)} ${t.timestamp.slice(11, 23)}`;
      buf += `b${String(offset + i).padStart(9, '0')}\t${ACCOUNT}\t${t.symbol}\t${t.side}\t${t.quantity}\t${t.price}\t${t.fees}\t${ts}\t${t.strategy_used}\t${t.finbert_sentiment}\t${t.confidence_score}\n`;
      if (buf.length > 1 << 20) {
        yield Buffer.from(buf);
        buf = '';
      }
    }
    if (buf !== '') yield Buffer.from(buf);
  }
  await new Promise<void>((resolve, reject) => {
    database.pool.query(
      {
        sql: `LOAD DATA LOCAL INFILE 'trades.tsv' INTO TABLE trades
          (trade_id, account, symbol, side, quantity, price, fees, executed_at, strategy_used, finbert_sentiment, confidence_score)
          SET recorded_at = NOW(6) - INTERVAL 1 HOUR`,
        infileStreamFactory: () => Readable.from(chunks()),
      },
      (error) => (error ? reject(error) : resolve()),
    );
  });
}

/** An Alpaca-shaped daily history over the trades' days: equity walks ±1 %. */
function dailyHistory(trades: readonly AnalyticsTrade[]): string {
  const first = Date.parse(`${trades[0]?.timestamp.slice(0, 10)}T05:00:00Z`);
  const last = Date.parse(`${trades.at(-1)?.timestamp.slice(0, 10)}T05:00:00Z`);
  const timestamp: number[] = [];
  const equity: number[] = [];
  const profit_loss: number[] = [];
  const profit_loss_pct: number[] = [];
  let value = 10_000_000;
  for (let t = first, i = 0; t <= last; t += 86_400_000, i++) {
    const r = Math.round(Math.sin(i * 1.7) * 0.01 * 1e6) / 1e6;
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
    base_value: 10_000_000,
    timeframe: '1D',
  });
}

/** Current prices: each symbol's last traded price. */
function positions(trades: readonly AnalyticsTrade[]): string {
  const last = new Map<string, string>();
  for (const t of trades) last.set(t.symbol, t.price);
  return JSON.stringify([...last].map(([symbol, price]) => ({ symbol, qty: '1', current_price: price })));
}

async function deletePrefix(): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.unlink(...found);
  } while (cursor !== '0');
}
