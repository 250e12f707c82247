/**
 * Footprint benchmark: `friren up --demo` from the BUILD, all four apps in one process,
 * with production timings (SNAPSHOT_REFRESH_MS 30 s, SNAPSHOT_MIN_INTERVAL_MS 2 s).
 *
 *   node --conditions=@friren/source --import tsx tests/bench/footprint.ts [--minutes N]
 *        [--no-build] [--no-demo] [--read-seconds S]
 *
 * 1. Builds `@friren/cli` and its dependencies (turbo, cached), starts `node apps/cli/dist/main.js
 *    up --demo` on its own database and Redis prefix.
 * 2. Reads: 4 readers × 250 reads/s on `GET /v1/accounts/default` for 60 s. Reports the broker calls
 *    the simulator saw in that window by endpoint, against the poller's schedule (one fetch per
 *    SNAPSHOT_REFRESH_MS, or per SNAPSHOT_MIN_INTERVAL_MS while fills ask for refreshes), and the
 *    hit ratio. Goal: the broker sees only the poller's schedule; hit ratio ≥ 99.99 % (seed: 97.7 %).
 * 3. Keeps the demo trading until N minutes (default 1) have passed since start, sampling the
 *    child's RSS (/proc/<pid>/status VmRSS) every 10 s. Goal: ≤ 250 MB after 10 minutes (t3.micro).
 * 4. SIGINT; the child must exit 0. Its database and Redis keys are removed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { deletePrefix, dropDatabase, MYSQL_SERVER_URL } from '../support/shared-servers.js';
import { freePort, REPO_ROOT } from '../support/spawn-app.js';
import { sleep } from '../support/wait.js';

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string', default: '1' },
    'read-seconds': { type: 'string', default: '60' },
    'no-build': { type: 'boolean', default: false },
    'no-demo': { type: 'boolean', default: false },
  },
});
const MINUTES = Number(flags.minutes);
const READ_SECONDS = Number(flags['read-seconds']);
if (!(MINUTES > 0) || !(READ_SECONDS > 0)) throw new Error('--minutes and --read-seconds must be positive');

const READERS = 4;
const READS_PER_SECOND_EACH = 250;
const REFRESH_MS = 30_000;
const MIN_INTERVAL_MS = 2_000;
const WARMUP_MS = 5_000;
const SAMPLE_EVERY_MS = 10_000;
const REDIS_URL = process.env['REDIS_TEST_URL'] ?? 'redis://127.0.0.1:6379';
const suffix = randomBytes(4).toString('hex');
const PREFIX = `bench-footprint-${suffix}`;
const DB_NAME = `friren_bench_${suffix}`;

interface SimCounts {
  total: number;
  byEndpoint: Record<string, number>;
}

const mb = (kb: number) => (kb / 1024).toFixed(1);

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!m?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]);
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return (await res.json()) as T;
}

async function simCounts(simUrl: string): Promise<SimCounts> {
  return (await json<{ counts: SimCounts }>(`${simUrl}/_sim/calls`)).counts;
}

/** Every endpoint's count in `after` minus `before`. */
function delta(before: SimCounts, after: SimCounts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.byEndpoint)) out[k] = v - (before.byEndpoint[k] ?? 0);
  return out;
}

function start(env: Record<string, string>, demo: boolean): { child: ChildProcess; output: () => string } {
  const args = ['apps/cli/dist/main.js', 'up', ...(demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const keep = (chunk: Buffer) => {
    // Only the banner and the last lines matter; cap what is kept over a long run.
    buffer = (buffer + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => buffer };
}

async function waitForBanner(output: () => string, child: ChildProcess): Promise<string> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`friren up exited (${child.exitCode}):\n${output()}`);
    if (/^Try: /m.test(output())) return output();
    await sleep(100);
  }
  throw new Error(`friren up did not start within 90 s:\n${output().slice(-4000)}`);
}

function printed(banner: string, label: string): string {
  const m = new RegExp(`^ +${label} +(http://\\S+)`, 'm').exec(banner);
  if (!m?.[1]) throw new Error(`no "${label}" in the banner`);
  return m[1];
}

async function cleanUp(): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    await deletePrefix(redis, PREFIX);
  } finally {
    await redis.quit();
  }
  await dropDatabase(DB_NAME, MYSQL_SERVER_URL);
}

async function main(): Promise<void> {
  const demo = !flags['no-demo'];
  if (!flags['no-build']) {
    console.log('building @friren/cli and its dependencies (turbo, cached)…');
    const r = spawnSync(
      'pnpm',
      ['exec', 'turbo', 'run', 'build', '--filter=@friren/cli...', '--output-logs=errors-only'],
      {
        cwd: REPO_ROOT,
        stdio: 'inherit',
      },
    );
    if (r.status !== 0) throw new Error('build failed');
  }

  const env = {
    REDIS_URL,
    MYSQL_URL: new URL(DB_NAME, MYSQL_SERVER_URL).toString(),
    FRIREN_PREFIX: PREFIX,
    HTTP_PORT: String(await freePort()),
    OPS_PORT: '0',
    SNAPSHOT_REFRESH_MS: String(REFRESH_MS),
    SNAPSHOT_MIN_INTERVAL_MS: String(MIN_INTERVAL_MS),
    LOG_LEVEL: 'warn',
  };
  const startedAt = Date.now();
  const { child, output } = start(env, demo);
  const pid = child.pid!;
  let exitCode: number | null = null;
  try {
    const banner = await waitForBanner(output, child);
    const viewUrl = printed(banner, 'account view');
    const simUrl = printed(banner, 'simulator');
    const statsUrl = `${viewUrl}/stats`;
    console.log(
      `friren up${demo ? ' --demo' : ''} pid ${pid} ready in ${Date.now() - startedAt} ms; RSS ${mb(rssKb(pid))} MB`,
    );

    await sleep(WARMUP_MS);
    const simBefore = await simCounts(simUrl);
    const statsBefore = await json<{ reads_total: number; reads: Record<string, number> }>(statsUrl);
    const rssBeforeReads = rssKb(pid);
    const windowStart = Date.now();
    const load = await autocannon({
      url: viewUrl,
      connections: READERS,
      connectionRate: READS_PER_SECOND_EACH,
      duration: READ_SECONDS,
    });
    const windowMs = Date.now() - windowStart;
    const simAfter = await simCounts(simUrl);
    const statsAfter = await json<{ reads_total: number; reads: Record<string, number> }>(statsUrl);
    const rssAfterReads = rssKb(pid);

    const calls = delta(simBefore, simAfter);
    const pollerCalls =
      (calls['account'] ?? 0) + (calls['positions'] ?? 0) + (calls['portfolio_history'] ?? 0);
    const fetches = calls['account'] ?? 0;
    const scheduleMs = demo ? MIN_INTERVAL_MS : REFRESH_MS;
    const scheduleFetches = Math.ceil(windowMs / scheduleMs) + 1;
    const reads = load.requests.total;
    const ok = load['2xx'];
    const cacheReads = statsAfter.reads_total - statsBefore.reads_total;
    const misses = (statsAfter.reads['miss'] ?? 0) - (statsBefore.reads['miss'] ?? 0);
    const strictHit = reads > 0 ? (reads - pollerCalls) / reads : Number.NaN;
    const cacheHit = cacheReads > 0 ? (cacheReads - misses) / cacheReads : Number.NaN;

    console.log(
      `\nreads: ${READERS} readers × ${READS_PER_SECOND_EACH}/s for ${(windowMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `  requests ${reads} (${ok} 2xx, ${load.non2xx} non-2xx, ${load.errors} errors, ${load.timeouts} timeouts)`,
    );
    console.log(
      `  latency p50 ${load.latency.p50} ms  p99 ${load.latency.p99} ms  max ${load.latency.max} ms`,
    );
    console.log(`broker calls the simulator saw in the window: ${JSON.stringify(calls)}`);
    console.log(
      `  poller: ${fetches} snapshot fetches (account+positions = ${pollerCalls} calls); its schedule allows ≤ ${scheduleFetches} ` +
        `(one per ${scheduleMs / 1000} s${demo ? ': fills ask for a refresh, spaced by SNAPSHOT_MIN_INTERVAL_MS' : ''}) ` +
        `→ ${fetches <= scheduleFetches ? 'within the schedule' : 'ABOVE the schedule'}`,
    );
    if (demo) console.log(`  demo orders (the strategy engine trading, not reads): ${calls['orders'] ?? 0}`);
    console.log(
      `hit ratio, strict (every poller call in the window charged to a read): ${(strictHit * 100).toFixed(4)} %  (goal ≥ 99.99 %, seed 97.7 %)`,
    );
    console.log(
      `hit ratio, cache (orchestrator reads answered from memory/redis/last-good): ${(cacheHit * 100).toFixed(4)} % of ${cacheReads}`,
    );
    console.log(`RSS before/after the reads: ${mb(rssBeforeReads)} / ${mb(rssAfterReads)} MB`);

    // ---- the long run: keep trading, sample RSS --------------------------------------------------
    const endAt = startedAt + MINUTES * 60_000;
    let peak = rssAfterReads;
    while (Date.now() < endAt) {
      await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, endAt - Date.now())));
      if (child.exitCode !== null) throw new Error(`friren up exited early (${child.exitCode})`);
      const rss = rssKb(pid);
      peak = Math.max(peak, rss);
      const minute = ((Date.now() - startedAt) / 60_000).toFixed(1);
      if (MINUTES > 1) console.log(`  t=${minute} min  RSS ${mb(rss)} MB`);
    }
    const finalRss = rssKb(pid);
    const metrics = await (await fetch(printed(banner, 'orchestrator metrics'))).text();
    const heap = /^friren_nodejs_heap_size_used_bytes (\S+)$/m.exec(metrics)?.[1];
    const trades = (await json<{ performance: { overall: { trades_count: number } } | null }>(viewUrl))
      .performance;
    console.log(
      `\nafter ${((Date.now() - startedAt) / 60_000).toFixed(1)} min${demo ? ` of --demo (${trades?.overall.trades_count ?? 0} trades analysed)` : ''}:` +
        ` RSS ${mb(finalRss)} MB (peak ${mb(peak)} MB; goal ≤ 250 MB)` +
        (heap ? `, V8 heap used ${(Number(heap) / 1048576).toFixed(1)} MB` : ''),
    );

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    exitCode = code as number | null;
    console.log(`SIGINT → exit ${exitCode}${exitCode === 0 ? ' (clean shutdown)' : ''}`);
    const lastLines = output().trim().split('\n').slice(-2).join('\n');
    if (demo) console.log(lastLines.split('\n').find((l) => l.startsWith('demo:')) ?? '');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await cleanUp();
  }
  if (exitCode !== 0) process.exitCode = 1;
}

await main();
