/**
 * Fold throughput: `pnpm --filter @friren/analytics-core bench [count]` (default 1,000,000 fills
 * over 50 symbols and 5 strategies). Not a test: it prints figures for docs/BENCHMARKS.md.
 * Wall-clock is the figure that counts; process CPU time is printed too because on a shared machine
 * the wall clock mostly measures the neighbours.
 */
import { AnalyticsAccumulator } from './accumulator.js';
import { syntheticTrades } from './synthetic.js';
import type { PnlMethod } from './types.js';

const count = Number(process.argv[2] ?? 1_000_000);
const trades = syntheticTrades(count, { symbols: 50, strategies: 5, seed: 42 });

interface Run {
  readonly wallMs: number;
  readonly cpuMs: number;
}

function fold(method: PnlMethod): Run {
  const acc = new AnalyticsAccumulator({ method });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  acc.addAll(trades);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const rate = (ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');

for (const method of ['fifo', 'average'] as const) {
  fold(method); // warm-up: let the JIT settle on the fold's shapes
  const runs = Array.from({ length: 5 }, () => fold(method));
  const wall = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
  console.log(
    `${method}: ${count.toLocaleString('en-US')} fills — wall best ${rate(wall[0] as number)}/s, ` +
      `median ${rate(wall[2] as number)}/s; cpu-time best ${rate(cpu[0] as number)}/s, median ${rate(cpu[2] as number)}/s`,
  );
}
