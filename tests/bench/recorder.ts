/**
 * Recorder benchmark. One run on 50k queued trades of
 *   (a) a bare BullMQ no-op worker, (b) a naive worker doing one INSERT per job, (c) the trade recorder,
 * each consumer in its own process with the same Node flags and BullMQ concurrency (the bench process
 * only queues and watches); then the recorder's enqueue→commit latency at a steady 2k trades/s
 * (BENCH_BREAKDOWN=1 splits it by stage and prints the worst latency of every 500 ms).
 * Own Redis prefix and database, removed afterwards.
 *
 *   node --conditions=@friren/source --import tsx tests/bench/recorder.ts
 *
 * Env: BENCH_PHASES ("throughput,steady": either or both), BENCH_TRADES (50000 per run),
 * BENCH_ROUNDS (3: runs of (a) and (c); (b) runs once), BENCH_RATE (2000 trades/s), BENCH_STEADY_S (10), BENCH_WARMUP_S (3),
 * BENCH_NODE_FLAGS (flags for every consumer process, default "--max-semi-space-size=64"),
 * RECORDER_* (passed to the recorder; RECORDER_CONCURRENCY also sets (a) and (b)).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, readFileSync } from 'node:fs';
import { createTradeClient } from '@friren/client';
import { QUEUES, type TradeJob } from '@friren/contracts';
import { countTrades, toSqlDateTime } from '@friren/db';
import { recorderSettingsFromEnv } from '@friren/trade-recorder';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { createConnection, createPool } from 'mysql2/promise';
import {
  createTestLedger,
  deletePrefix,
  makeTrade,
  REDIS_URL,
  randomSuffix,
  recorderEnv,
  redisClient,
} from '../recorder/helpers.js';
import { freePort, REPO_ROOT } from '../support/spawn-app.js';
import { sleep } from '../support/wait.js';

const settings = recorderSettingsFromEnv();

if (process.argv[2] === '--consumer') {
  await runConsumer(process.argv[3] as 'bare' | 'naive');
} else {
  await runBench();
}

/** (a) and (b), in a child process: `--consumer bare|naive`, configured by env. */
async function runConsumer(kind: 'bare' | 'naive'): Promise<void> {
  const prefix = process.env['FRIREN_PREFIX']!;
  const connection = new Redis(process.env['REDIS_URL']!, { maxRetriesPerRequest: null });
  const pool =
    kind === 'naive' ? createPool({ uri: process.env['MYSQL_URL']!, connectionLimit: 16 }) : undefined;
  const processor =
    kind === 'bare'
      ? async () => {}
      : async (job: { data: TradeJob }) => {
          const t = job.data;
          await pool!.query(
            'INSERT IGNORE INTO trades (trade_id, account, symbol, side, quantity, price, fees, executed_at, ' +
              'strategy_used, finbert_sentiment, confidence_score, order_id, metadata) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)',
            [
              t.trade_id,
              t.account,
              t.symbol,
              t.side,
              t.quantity,
              t.price,
              t.fees,
              toSqlDateTime(t.timestamp),
              t.strategy_used,
              t.finbert_sentiment ?? null,
              t.confidence_score ?? null,
              t.order_id ?? null,
              t.metadata === undefined ? null : JSON.stringify(t.metadata),
            ],
          );
        };
  const workers = Array.from(
    { length: settings.workers },
    () => new Worker(QUEUES.trades, processor, { connection, prefix, concurrency: settings.concurrency }),
  );
  console.log('consumer ready');
  process.once('SIGTERM', async () => {
    await Promise.all(workers.map((w) => w.close()));
    await pool?.end();
    await connection.quit();
    process.exit(0);
  });
}

async function runBench(): Promise<void> {
  const TOTAL = Number(process.env['BENCH_TRADES'] ?? 50_000);
  const RATE = Number(process.env['BENCH_RATE'] ?? 2_000);
  const STEADY_S = Number(process.env['BENCH_STEADY_S'] ?? 10);
  const WARMUP_S = Number(process.env['BENCH_WARMUP_S'] ?? 3);
  const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
  const phases = new Set((process.env['BENCH_PHASES'] ?? 'throughput,steady').split(','));
  const nodeFlags = (process.env['BENCH_NODE_FLAGS'] ?? '--max-semi-space-size=64')
    .split(' ')
    .filter(Boolean);
  const prefix = `bench-rec-${randomSuffix()}`;
  const ledger = await createTestLedger();
  const redis = redisClient();
  const queue = new Queue(QUEUES.trades, { connection: redis, prefix });
  const client = createTradeClient({ redisUrl: REDIS_URL, prefix });
  const env = { ...process.env, ...recorderEnv({ mysqlUrl: ledger.url, prefix, opsPort: await freePort() }) };
  const children: ChildProcess[] = [];

  function spawnNode(args: string[], ready: RegExp): Promise<ChildProcess> {
    const child = spawn(
      process.execPath,
      [...nodeFlags, '--conditions=@friren/source', '--import', 'tsx', ...args],
      {
        cwd: REPO_ROOT,
        env: { ...env, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        if (process.env['BENCH_CHILD_LOG'])
          appendFileSync(`${process.env['BENCH_CHILD_LOG']}.${child.pid}`, d);
        out += d.toString();
        if (ready.test(out)) resolve(child);
      });
      child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${out}`)));
    });
  }

  async function stopChild(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }

  const completed = async () => (await queue.getJobCounts('completed'))['completed'] ?? 0;
  const rows: { name: string; seconds: number }[] = [];

  /** Steady-state throughput: from the first completed job to the last (boot time excluded). */
  async function measure(name: string, tag: string, consumer: () => Promise<ChildProcess>): Promise<void> {
    await client.submitMany(Array.from({ length: TOTAL }, (_, i) => makeTrade(i, tag)));
    const callsBefore = await redisCalls(redis);
    const child = await consumer();
    let first = 0;
    let cpuAtFirst = { total: 0, system: 0 };
    for (;;) {
      const n = await completed();
      if (n > 0 && first === 0) {
        first = performance.now() - 5;
        cpuAtFirst = cpuSeconds(child.pid!);
      }
      if (n >= TOTAL) break;
      await sleep(10);
    }
    const seconds = (performance.now() - first) / 1000;
    const calls = await redisCalls(redis);
    const cpu = cpuSeconds(child.pid!);
    const cpuPerJobUs = ((cpu.total - cpuAtFirst.total) / TOTAL) * 1e6;
    const sysPerJobUs = ((cpu.system - cpuAtFirst.system) / TOTAL) * 1e6;
    await stopChild(child);
    rows.push({ name, seconds });
    // Redis commands per job (this process's polling included, a few per 10 ms): the consumer's
    // round trips, the other cost besides its own CPU.
    const perJob = (key: string) => ((calls.get(key) ?? 0) - (callsBefore.get(key) ?? 0)) / TOTAL;
    console.info(
      `${name}: ${(TOTAL / seconds).toFixed(0)} jobs/s; its CPU ${cpuPerJobUs.toFixed(1)} µs/job (kernel ${sysPerJobUs.toFixed(1)}); ` +
        `Redis commands per job ${perJob('all').toFixed(2)} ` +
        `(scripts ${perJob('evalsha').toFixed(2)})`,
    );
    await queue.obliterate({ force: true });
  }

  const recorderArgs = ['apps/trade-recorder/src/main.ts'];
  try {
    console.info(
      `recorder bench: ${TOTAL} trades; consumers: node ${nodeFlags.join(' ')}, concurrency ${settings.concurrency}` +
        ` x ${settings.workers} worker(s); recorder batches ${settings.batchSize} rows / ${settings.batchMs} ms, ` +
        `${settings.batchesInFlight} in flight`,
    );
    if (phases.has('throughput')) {
      const self = 'tests/bench/recorder.ts';
      const bare = (round: number) =>
        measure('(a) bare BullMQ no-op worker', `a${round}`, () =>
          spawnNode([self, '--consumer', 'bare'], /consumer ready/),
        );
      const naive = () =>
        measure('(b) naive worker, one INSERT per job', 'b', () =>
          spawnNode([self, '--consumer', 'naive'], /consumer ready/),
        );
      // A fresh tag per run: every run of (c) writes new rows, none is a replay of duplicates.
      const recorder = (round: number) =>
        measure('(c) trade recorder (group commit)', `c${round}`, () =>
          spawnNode(recorderArgs, /recording trades/),
        );
      // One round of each, then more rounds of (a) and (c) alternating: a single 3 s sample on this
      // shared 2-core machine varies by ±10 %, so the ratios use each consumer's median.
      await bare(0);
      await naive();
      await recorder(0);
      for (let round = 1; round < ROUNDS; round++) {
        await bare(round);
        await recorder(round);
      }
      const inLedger = await countTrades(ledger.database.db);
      if (inLedger !== (1 + ROUNDS) * TOTAL)
        throw new Error(`expected ${(1 + ROUNDS) * TOTAL} rows after (b) and (c), found ${inLedger}`);
      console.info(
        '\n| consumer | jobs | runs | jobs/s (median) | jobs/s (each run) |\n| --- | ---: | ---: | ---: | --- |',
      );
      const medians = new Map<string, number>();
      for (const name of [...new Set(rows.map((r) => r.name))]) {
        const rates = rows.filter((r) => r.name === name).map((r) => TOTAL / r.seconds);
        const median = [...rates].sort((x, y) => x - y)[Math.floor(rates.length / 2)]!;
        medians.set(name[1]!, median);
        console.info(
          `| ${name} | ${TOTAL} | ${rates.length} | ${median.toFixed(0)} | ${rates.map((r) => r.toFixed(0)).join(', ')} |`,
        );
      }
      const [a, b, c] = ['a', 'b', 'c'].map((k) => medians.get(k)!) as [number, number, number];
      console.info(
        `\n(c)/(a) = ${(c / a).toFixed(2)} (goal >= 0.8)   (c)/(b) = ${(c / b).toFixed(2)} (goal >= 4)`,
      );
    }

    // Latency at a steady rate, from the trade's timestamp (stamped just before it is submitted) to
    //   - its row written: recorded_at, stamped by the batch's INSERT (its COMMIT comes after);
    //   - its job acknowledged: finishedOn, set by the recorder after the batch's COMMIT returned.
    // The second is the enqueue→commit figure (an upper bound: it includes the acknowledgement).
    // The first WARMUP_S seconds warm the fresh process up (JIT, pool) and are not counted.
    if (phases.has('steady')) {
      const steady = async (tag: string, seconds: number): Promise<number> => {
        const total = RATE * seconds;
        const t0 = performance.now();
        let sent = 0;
        while (sent < total) {
          const due = Math.min(total, Math.ceil(((performance.now() - t0) / 1000) * RATE));
          const batch = [];
          for (; sent < due; sent++) batch.push({ ...makeTrade(sent, tag), timestamp: nowIsoMicros() });
          if (batch.length > 0) await client.submitMany(batch);
          await sleep(5);
        }
        return total / ((performance.now() - t0) / 1000);
      };
      // Baseline: the bare no-op worker (a) at the same rate, enqueue → acknowledged. What the
      // queue alone costs on this machine; the recorder adds its batch window and the commit.
      const bare = await spawnNode(['tests/bench/recorder.ts', '--consumer', 'bare'], /consumer ready/);
      await steady('bare-warm', WARMUP_S);
      await steady('bare-steady', STEADY_S);
      while ((await completed()) < RATE * (WARMUP_S + STEADY_S)) await sleep(20);
      const bareAcknowledged = await acknowledgedLatencies(queue, 'bare-steady');
      await stopChild(bare);
      await queue.obliterate({ force: true });

      const recorder = await spawnNode(recorderArgs, /recording trades/);
      await steady('warm', WARMUP_S);
      const achieved = await steady('steady', STEADY_S);
      while ((await completed()) < RATE * (WARMUP_S + STEADY_S)) await sleep(20);
      const timings = await steadyTimings(queue, ledger.url, 'steady');
      if (process.env['BENCH_BREAKDOWN']) {
        for (const [stage, values] of Object.entries(timings)) console.info(`  ${stage}: ${summary(values)}`);
        const text = await (await fetch(`http://127.0.0.1:${env['OPS_PORT']}/metrics`)).text();
        const wanted = /eventloop_lag_p99|gc_duration_seconds_(sum|count)|batch_size_(sum|count)/;
        console.info(
          text
            .split('\n')
            .filter((l) => wanted.test(l))
            .join('\n'),
        );
      }
      await stopChild(recorder);
      const { acknowledged, rowWritten } = timings;
      console.info(
        `steady ${achieved.toFixed(0)} trades/s for ${STEADY_S} s after ${WARMUP_S} s warm-up (${acknowledged.length} trades):\n` +
          `  enqueue→commit (acknowledged after COMMIT): ${summary(acknowledged)} (goal p99 <= 25 ms)\n` +
          `  enqueue→row written (INSERT start): ${summary(rowWritten)}\n` +
          `  baseline (a) bare BullMQ no-op worker, enqueue→acknowledged: ${summary(bareAcknowledged)}\n` +
          `  p99 recorder / bare = ${(pct(acknowledged, 0.99) / pct(bareAcknowledged, 0.99)).toFixed(2)}`,
      );
    }
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await client.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await ledger.drop();
  }
}

function nowIsoMicros(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const ms = Math.floor(micros / 1000);
  return `${new Date(ms).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}

function pct(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** Enqueue (the trade's stamped timestamp) → acknowledged, per completed job of the tag, sorted. */
async function acknowledgedLatencies(queue: Queue, tag: string): Promise<number[]> {
  const jobs = (await queue.getJobs(['completed'], 0, -1)).filter(
    (job) => (job.data as TradeJob).trade_id.startsWith(tag) && job.finishedOn !== undefined,
  );
  const samples = jobs.map(acknowledgedSample);
  if (process.env['BENCH_BREAKDOWN']) {
    const deliver = jobs.map((job) => ({ at: job.timestamp, ms: job.processedOn! - job.timestamp }));
    const finish = jobs.map((job) => ({ at: job.timestamp, ms: job.finishedOn! - job.processedOn! }));
    console.info(`  ${tag} timeline: ${timeline(samples)}`);
    console.info(`  ${tag} queued→taken: ${timeline(deliver)}`);
    console.info(`  ${tag} taken→acknowledged: ${timeline(finish)}`);
  }
  return samples.map((s) => s.ms).sort((x, y) => x - y);
}

/** When a completed job was queued, and its stamped timestamp → acknowledged latency (ms). */
function acknowledgedSample(job: Job): { at: number; ms: number } {
  return { at: job.timestamp, ms: job.finishedOn! - Date.parse((job.data as TradeJob).timestamp) };
}

/** The worst latency in each 500 ms of the run ("t+ms:worst"): tells one stall from a spread tail. */
function timeline(samples: readonly { at: number; ms: number }[]): string {
  if (samples.length === 0) return '';
  const start = Math.min(...samples.map((s) => s.at));
  const worst = new Map<number, number>();
  for (const s of samples) {
    const slot = Math.floor((s.at - start) / 500);
    worst.set(slot, Math.max(worst.get(slot) ?? 0, s.ms));
  }
  return [...worst.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([slot, ms]) => `${slot * 500}:${ms.toFixed(0)}`)
    .join(' ');
}

/** CPU time a process has used (user + system, and system alone), from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number): { total: number; system: number } {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
    const system = Number(fields[12]) / 100;
    return { total: Number(fields[11]) / 100 + system, system };
  } catch {
    return { total: Number.NaN, system: Number.NaN };
  }
}

/** Cumulative calls per Redis command (`all`: every command), from INFO commandstats. */
async function redisCalls(redis: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>([['all', 0]]);
  for (const m of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(m[1]!, Number(m[2]));
    calls.set('all', calls.get('all')! + Number(m[2]));
  }
  return calls;
}

function summary(sorted: readonly number[]): string {
  const f = (q: number) => pct(sorted, q).toFixed(1);
  return `p50 ${f(0.5)} ms, p90 ${f(0.9)} ms, p99 ${f(0.99)} ms, max ${f(1)} ms`;
}

/**
 * Per trade of the tag, in ms, each sorted: the stages (producer → queued → taken by the recorder
 * → row written → acknowledged) and the two end-to-end figures.
 */
async function steadyTimings(queue: Queue, url: string, tag: string) {
  const jobs = await queue.getJobs(['completed'], 0, -1);
  const conn = await createConnection(url);
  const [rows] = await conn.query(
    "SELECT trade_id, UNIX_TIMESTAMP(executed_at) * 1000 AS stamped, UNIX_TIMESTAMP(recorded_at) * 1000 AS written FROM trades WHERE trade_id LIKE CONCAT(?, '%')",
    [tag],
  );
  await conn.end();
  type Row = { trade_id: string; stamped: string; written: string };
  const byId = new Map((rows as Row[]).map((r) => [r.trade_id, r]));
  const t = {
    submit: [] as number[],
    deliver: [] as number[],
    batchAndInsert: [] as number[],
    commitAndAck: [] as number[],
    rowWritten: [] as number[],
    acknowledged: [] as number[],
  };
  const acknowledgedAt: { at: number; ms: number }[] = [];
  for (const job of jobs) {
    const row = byId.get((job.data as { trade_id: string }).trade_id);
    if (!row || job.processedOn === undefined || job.finishedOn === undefined) continue;
    const stamped = Number(row.stamped);
    const written = Number(row.written);
    t.submit.push(job.timestamp - stamped);
    t.deliver.push(job.processedOn - job.timestamp);
    t.batchAndInsert.push(written - job.processedOn);
    t.commitAndAck.push(job.finishedOn - written);
    t.rowWritten.push(written - stamped);
    t.acknowledged.push(job.finishedOn - stamped);
    acknowledgedAt.push({ at: job.timestamp, ms: job.finishedOn - stamped });
  }
  if (process.env['BENCH_BREAKDOWN']) console.info(`  ${tag} timeline: ${timeline(acknowledgedAt)}`);
  if (t.acknowledged.length !== byId.size)
    throw new Error(`${byId.size} rows but ${t.acknowledged.length} completed jobs`);
  for (const values of Object.values(t)) values.sort((x, y) => x - y);
  return t;
}
