import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { sleep } from '../support/wait.js';

/**
 * The chaos suite's shared knobs: a profile that scales every scenario (`CHAOS_PROFILE=full` runs
 * them at full size, `ci` — the default — fits CI's budget) and the per-scenario result files that
 * `tests/chaos/report.ts` turns into docs/RELIABILITY.md.
 */
export type ChaosProfile = 'full' | 'ci';

export const PROFILE: ChaosProfile = process.env['CHAOS_PROFILE'] === 'full' ? 'full' : 'ci';

/** Numbers of each scenario per profile. */
export const SCALE = {
  full: {
    crashTrades: 100_000,
    crashKills: 10,
    outageMs: 30_000,
    outageTrades: 20_000,
    redisTrades: 20_000,
    badPayloads: 10_000,
    httpFuzz: 10_000,
    faultPhaseMs: 8_000,
    loadSeconds: 60,
    loadProducers: 4,
    loadRatePerProducer: 5_000,
    loadReaders: 4,
  },
  ci: {
    crashTrades: 10_000,
    crashKills: 3,
    outageMs: 10_000,
    outageTrades: 4_000,
    redisTrades: 4_000,
    badPayloads: 1_000,
    httpFuzz: 1_000,
    faultPhaseMs: 4_000,
    loadSeconds: 10,
    loadProducers: 4,
    loadRatePerProducer: 500,
    loadReaders: 4,
  },
} as const;

export const N = SCALE[PROFILE];

/** One JSON file per scenario and profile; kept in the repository so the report can show both profiles. */
export const RESULTS_DIR =
  process.env['CHAOS_RESULTS_DIR'] ?? fileURLToPath(new URL('./results/', import.meta.url));

/** One row of docs/RELIABILITY.md. */
export interface ScenarioResult {
  /** Stable id, also the file name; the report orders rows by `order`. */
  readonly id: string;
  readonly order: number;
  readonly scenario: string;
  readonly load: string;
  readonly faults: string;
  readonly inputs: string;
  /** null when the scenario is not about stored trades. */
  readonly lost: number | null;
  readonly duplicated: number | null;
  readonly result: 'pass' | 'fail';
  /** Further figures (latencies, RSS, counts), printed under the table. */
  readonly figures?: Record<string, string | number>;
  readonly profile?: ChaosProfile;
  readonly at?: string;
  readonly durationS?: number;
}

/** Writes the scenario's row (one file per scenario and profile; a rerun overwrites it). */
export function recordResult(result: ScenarioResult): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const row: ScenarioResult = { profile: PROFILE, at: new Date().toISOString(), ...result };
  writeFileSync(join(RESULTS_DIR, `${result.id}.${row.profile}.json`), `${JSON.stringify(row, null, 2)}\n`);
}

export function readResults(dir = RESULTS_DIR): ScenarioResult[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ScenarioResult);
}

/**
 * Runs a scenario body and records its row whatever happens: `fill` receives the figures gathered so
 * far, so a failing scenario is published as `fail` with what it measured, and the error still fails
 * the test.
 */
export async function scenario(
  base: Omit<ScenarioResult, 'result' | 'lost' | 'duplicated'> & {
    lost?: number | null;
    duplicated?: number | null;
  },
  body: (row: MutableRow) => Promise<void>,
): Promise<void> {
  const row: MutableRow = {
    ...base,
    lost: base.lost ?? null,
    duplicated: base.duplicated ?? null,
    figures: { ...(base.figures ?? {}) },
  };
  const started = performance.now();
  let ok = false;
  try {
    await body(row);
    ok = true;
  } finally {
    recordResult({
      ...row,
      result: ok ? 'pass' : 'fail',
      durationS: Math.round((performance.now() - started) / 100) / 10,
    });
  }
}

export interface MutableRow {
  id: string;
  order: number;
  scenario: string;
  load: string;
  faults: string;
  inputs: string;
  lost: number | null;
  duplicated: number | null;
  figures: Record<string, string | number>;
}

/** Percentile (nearest rank) of samples in ms, rounded to 0.01 ms. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[idx]! * 100) / 100;
}

/** Resident set size of a process in MiB (Linux /proc), or NaN. */
export function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Math.round((kb / 1024) * 10) / 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc), or NaN. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/** The URL printed after `label` in `friren up`'s startup banner. */
export function bannerUrl(output: string, label: string): string {
  const m = new RegExp(`^ +${label} +(http://\\S+)`, 'm').exec(output);
  if (!m?.[1]) throw new Error(`no "${label}" URL in the banner:\n${output.slice(-3000)}`);
  return m[1];
}
