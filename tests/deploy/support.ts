import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../support/spawn-app.js';

export { REPO_ROOT };
export const DEPLOY = join(REPO_ROOT, 'deploy');

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readText(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

/** One YAML document (merge keys `<<` resolved, as docker compose does). */
export function readYaml(...parts: string[]): unknown {
  return parse(readText(...parts), { merge: true });
}

/** Every document of a multi-document YAML file, empty ones dropped. */
export function readYamlDocuments(path: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Which installed binary, or undefined. */
export function which(bin: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export interface RunnableTarget {
  /** `apps/poller`, `packages/db`, … */
  readonly dir: string;
  /** The directory's last segment: the app name for apps/*. */
  readonly name: string;
  /** The script run, relative to `dir`: `dist/main.js`. */
  readonly script: string;
}

/**
 * The Friren program a container command runs: `node <dir>/dist/<file>.js`, possibly inside
 * `sh -c '…'`. Undefined when the command names none.
 */
export function runnableOf(command: readonly string[] | string): RunnableTarget | undefined {
  const text = Array.isArray(command) ? command.join(' ') : String(command);
  const m = /\bnode\s+(?:\S+\s+)*?((apps|packages)\/([a-z0-9-]+))\/(dist\/[\w./-]+\.js)\b/.exec(text);
  if (!m) return undefined;
  return { dir: m[1]!, name: m[3]!, script: m[4]! };
}

/**
 * Why a runnable target does not exist in this repository, or undefined when it does: the
 * directory's package.json must have a script running exactly `node <script>`, and the
 * TypeScript source the script is built from must exist.
 */
export function missingRunnable(target: RunnableTarget): string | undefined {
  const manifest = repoPath(target.dir, 'package.json');
  if (!existsSync(manifest)) return `${target.dir}/package.json does not exist`;
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
  const scripts = Object.values(pkg.scripts ?? {});
  if (!scripts.includes(`node ${target.script}`)) {
    return `${target.dir}/package.json has no script "node ${target.script}"`;
  }
  const source = target.script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
  if (!existsSync(repoPath(target.dir, source))) return `${target.dir}/${source} does not exist`;
  return undefined;
}

/** The four long-running apps and their default ops ports (mirrors @friren/config). */
export const APPS = ['poller', 'trade-recorder', 'analytics', 'orchestrator'] as const;
export type AppName = (typeof APPS)[number];

/** Files in a directory with the given suffix, sorted. */
export function listFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

/**
 * Metric families exempt from `promtool check metrics`'s naming lint, each with the reason.
 * Everything else an app exports must pass it. Prefer fixing the name over adding one here.
 */
export const METRICS_LINT_EXCEPTIONS: Readonly<Record<string, string>> = {
  // prom-client's default process metrics (prefixed friren_ by @friren/observability): gauges
  // named *_total upstream.
  friren_nodejs_active_handles_total: 'prom-client default gauge',
  friren_nodejs_active_requests_total: 'prom-client default gauge',
  friren_nodejs_active_resources_total: 'prom-client default gauge',
  // docs/CONTRACT.md §6 names this gauge (the total P&L), so it keeps the name.
  friren_pnl_total: 'docs/CONTRACT.md §6 name of a gauge',
};

/** The exposition text without the exempt families (HELP, TYPE and samples). */
export function withoutLintExceptions(exposition: string): string {
  const exempt = (name: string) =>
    Object.keys(METRICS_LINT_EXCEPTIONS).some((e) => name === e || name.startsWith(`${e}{`));
  return exposition
    .split('\n')
    .filter((line) => {
      const m = /^# (?:HELP|TYPE) (\S+)/.exec(line);
      if (m) return !exempt(m[1]!);
      return line === '' || !exempt(line.split(' ')[0]!);
    })
    .join('\n');
}
