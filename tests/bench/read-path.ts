/**
 * Read-path benchmark: raw `HGETALL` vs the AccountManager's crisis read, its Redis path
 * with a cold memory, and the HTTP API under load. One run, about a minute:
 *
 *   node --conditions=@friren/source --import tsx tests/bench/read-path.ts
 *
 * Goals: crisis read p99 ≤ 5 µs and ≥ 30× faster than raw HGETALL p99; Redis path ≤ 1.3× raw HGETALL.
 * Uses the shared Redis on 6379 under its own prefix and deletes its keys afterwards.
 */
import { randomUUID } from 'node:crypto';
import { redisKeys } from '@friren/contracts';
import { createAccountManager } from '@friren/orchestrator-core';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { deletePrefix, pollerWrite, SHARED_REDIS_URL, sampleSnapshot } from '../orchestrator/support.js';
import { freePort, spawnApp } from '../support/spawn-app.js';
import { sleep } from '../support/wait.js';

const PREFIX = `bench-read-${randomUUID().slice(0, 8)}`;
const ALIAS = 'bench';
const keys = redisKeys(PREFIX);
const REDIS_SAMPLES = Number(process.env.BENCH_REDIS_SAMPLES ?? 20_000);
const CRISIS_CALLS = 1_000_000;
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const BENCH_TTL_MS = 3_600_000;

interface Figures {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

/** Percentiles in microseconds from samples in milliseconds. */
function figures(samplesMs: Float64Array): Figures {
  const sorted = Float64Array.from(samplesMs).sort();
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 1000;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { p50: at(0.5), p99: at(0.99), mean: (sum / sorted.length) * 1000 };
}

const us = (v: number) => (v < 10 ? v.toFixed(3) : v.toFixed(1)).padStart(10);

async function main(): Promise<void> {
  const writer = new Redis(SHARED_REDIS_URL);
  const raw = new Redis(SHARED_REDIS_URL);
  const positions = Array.from({ length: 20 }, (_, i) => ({
    symbol: `SYM${i}`,
    qty: '10',
    side: 'long',
    market_value: '1234.56',
    unrealized_pl: '12.5',
  }));
  // Fresh for the whole run through a long TTL (a snapshot dated ahead would be labelled skewed).
  await pollerWrite(writer, keys, sampleSnapshot(ALIAS, { fetched_at: Date.now() }), {
    publish: false,
    positions,
    ttlMs: BENCH_TTL_MS,
  });
  const manager = createAccountManager({
    redisUrl: SHARED_REDIS_URL,
    prefix: PREFIX,
    alias: ALIAS,
    ttlMs: BENCH_TTL_MS,
  });
  await manager.start();
  let app: ReturnType<typeof spawnApp> | null = null;
  try {
    // ---- raw HGETALL vs the Redis path, interleaved so both see the same machine load ----------
    const snapshotKey = keys.snapshot(ALIAS);
    for (let i = 0; i < 2_000; i++) {
      await raw.hgetall(snapshotKey);
      manager.invalidate();
      await manager.getAccountSnapshot();
    }
    const rawMs = new Float64Array(REDIS_SAMPLES);
    const coldMs = new Float64Array(REDIS_SAMPLES);
    for (let i = 0; i < REDIS_SAMPLES; i++) {
      let t = performance.now();
      await raw.hgetall(snapshotKey);
      rawMs[i] = performance.now() - t;
      manager.invalidate();
      t = performance.now();
      const r = await manager.getAccountSnapshot();
      coldMs[i] = performance.now() - t;
      if (r.source !== 'redis') throw new Error(`expected a Redis read, got ${r.source}`);
    }
    // Leave memory warm for the crisis path.
    await manager.getAccountSnapshot();

    // ---- crisis path: 1M individually timed calls -----------------------------------------------
    let sink = 0;
    for (let i = 0; i < 200_000; i++) sink += manager.getSnapshotNow().age_ms ?? 0;
    const crisisMs = new Float64Array(CRISIS_CALLS);
    for (let i = 0; i < CRISIS_CALLS; i++) {
      const t = performance.now();
      const r = manager.getSnapshotNow();
      crisisMs[i] = performance.now() - t;
      sink += r.age_ms ?? 0;
    }
    // The timer's own cost, to read the crisis figures against.
    const timerMs = new Float64Array(CRISIS_CALLS);
    for (let i = 0; i < CRISIS_CALLS; i++) {
      const t = performance.now();
      timerMs[i] = performance.now() - t;
    }
    const batchStart = performance.now();
    for (let i = 0; i < CRISIS_CALLS; i++) sink += manager.getSnapshotNow().age_ms ?? 0;
    const batchNsPerCall = ((performance.now() - batchStart) * 1e6) / CRISIS_CALLS;

    // ---- HTTP under load, app in its own process -----------------------------------------------
    const httpPort = await freePort();
    app = spawnApp('orchestrator', {
      REDIS_URL: SHARED_REDIS_URL,
      FRIREN_PREFIX: PREFIX,
      FRIREN_ACCOUNTS: ALIAS,
      SNAPSHOT_TTL_MS: String(BENCH_TTL_MS),
      HTTP_PORT: String(httpPort),
      OPS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    });
    await app.waitFor(/orchestrator started|"level":"(warn|error)"/, 60_000).catch(() => undefined);
    await waitForHttp(`http://127.0.0.1:${httpPort}/v1/accounts/${ALIAS}`);
    const url = `http://127.0.0.1:${httpPort}/v1/accounts/${ALIAS}`;
    await autocannon({ url, connections: 10, duration: 2 }); // warm-up
    const load = await autocannon({ url, connections: 50, duration: HTTP_SECONDS });

    // ---- report ---------------------------------------------------------------------------------
    const rawF = figures(rawMs);
    const coldF = figures(coldMs);
    const crisisF = figures(crisisMs);
    const timerF = figures(timerMs);
    const row = (name: string, n: number, f: Figures) =>
      `${name.padEnd(44)}${String(n).padStart(9)}${us(f.p50)}${us(f.p99)}${us(f.mean)}`;
    const lines = [
      '',
      `read path (p50/p99/mean in µs; node ${process.version}, ${new Date().toISOString()})`,
      `${'measure'.padEnd(44)}${'samples'.padStart(9)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}`,
      row('raw ioredis HGETALL of the snapshot', REDIS_SAMPLES, rawF),
      row('getAccountSnapshot(), cold memory (Redis)', REDIS_SAMPLES, coldF),
      row('getSnapshotNow() (crisis read, timed each)', CRISIS_CALLS, crisisF),
      row('  timer alone (performance.now() pair)', CRISIS_CALLS, timerF),
      `${'getSnapshotNow() batch of 1M, per call'.padEnd(44)}${String(CRISIS_CALLS).padStart(9)}${`${(batchNsPerCall / 1000).toFixed(3)}`.padStart(10)}`,
      '',
      `HTTP GET /v1/accounts/:alias, 50 connections, ${HTTP_SECONDS}s: ${Math.round(load.requests.average)} req/s,` +
        ` latency p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms, max ${load.latency.max} ms,` +
        ` ${load.non2xx} non-2xx, ${load.errors} errors, ${load.requests.total} requests`,
      '',
      'goals',
      verdict('crisis read p99 ≤ 5 µs', crisisF.p99 <= 5, `${crisisF.p99.toFixed(3)} µs`),
      verdict(
        'crisis p99 ≥ 30× faster than raw HGETALL p99',
        rawF.p99 / crisisF.p99 >= 30,
        `${(rawF.p99 / crisisF.p99).toFixed(0)}×`,
      ),
      verdict(
        'Redis path p99 ≤ 1.3× raw HGETALL p99',
        coldF.p99 / rawF.p99 <= 1.3,
        `${(coldF.p99 / rawF.p99).toFixed(2)}× (p50 ${(coldF.p50 / rawF.p50).toFixed(2)}×)`,
      ),
      verdict(
        'HTTP: no errors, no non-2xx',
        load.errors === 0 && load.non2xx === 0,
        `${load.errors}/${load.non2xx}`,
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
    if (sink === -1) process.stdout.write('.');
  } finally {
    await app?.stop('SIGTERM');
    await manager.close();
    await deletePrefix(writer, PREFIX);
    await Promise.all([writer.quit(), raw.quit()]);
  }
}

function verdict(goal: string, ok: boolean, value: string): string {
  return `  ${ok ? 'PASS' : 'MISS'}  ${goal.padEnd(46)} ${value}`;
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await sleep(100);
  }
}

await main();
