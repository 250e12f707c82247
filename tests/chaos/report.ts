import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readResults, SCALE, type ScenarioResult } from './support.js';

/**
 * Renders docs/RELIABILITY.md from the scenario results in tests/chaos/results (one JSON per scenario
 * and profile, written by each chaos test). Run on its own with
 * `node --conditions=@friren/source --import tsx tests/chaos/report.ts`; `pnpm test:chaos` runs it
 * at the end of the suite (tests/chaos/global-setup.ts).
 */
export const REPORT_PATH = fileURLToPath(new URL('../../docs/RELIABILITY.md', import.meta.url));

const cell = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '—' : String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderReport(results: readonly ScenarioResult[]): string {
  const rows = [...results].sort(
    (a, b) => a.order - b.order || (a.profile === b.profile ? 0 : a.profile === 'full' ? -1 : 1),
  );
  const lines: string[] = [];
  lines.push('# Friren reliability figures');
  lines.push('');
  lines.push(
    'The whole cluster run as a user would (real Redis and MariaDB on loopback, the apps as their own',
    'processes or as `friren up`, the broker replaced by `@friren/alpaca-sim`), under the faults below.',
    'This file is generated: do not edit it by hand.',
  );
  lines.push('');
  lines.push('Regenerate with:');
  lines.push('');
  lines.push('```sh');
  lines.push(
    'pnpm test:chaos                       # CI profile (CHAOS_PROFILE=ci, the default; CI runs it), ~3 min',
  );
  lines.push('CHAOS_PROFILE=full pnpm test:chaos    # the full profile: every scenario at full size, ~7 min');
  lines.push(
    'scripts/reliability-report            # the same, starting Redis/MariaDB first (scripts/services)',
  );
  lines.push('```');
  lines.push('');
  lines.push(
    'Each scenario writes `tests/chaos/results/<scenario>.<profile>.json`; the table shows every',
    'result present, the profile that produced it and when. `lost` and `duplicated` count trades',
    '(— where the scenario stores none).',
  );
  lines.push('');
  lines.push(
    '| scenario | profile | load | faults injected | inputs tried | lost | duplicated | result | run at (UTC) |',
  );
  lines.push('| --- | --- | --- | --- | --- | ---: | ---: | --- | --- |');
  for (const r of rows) {
    lines.push(
      `| ${[
        r.scenario,
        r.profile,
        r.load,
        r.faults,
        r.inputs,
        r.lost,
        r.duplicated,
        r.result === 'pass' ? '**pass**' : '**FAIL**',
        `${r.at?.slice(0, 16).replace('T', ' ') ?? ''}${r.durationS !== undefined ? ` (${r.durationS} s)` : ''}`,
      ]
        .map(cell)
        .join(' | ')} |`,
    );
  }
  const ids = [...new Set(rows.map((r) => r.id))];
  const noFull = ids.filter((id) => !rows.some((r) => r.id === id && r.profile === 'full'));
  if (noFull.length > 0) {
    lines.push('');
    lines.push(
      `No full-profile result recorded yet for: ${noFull
        .map((id) => rows.find((r) => r.id === id)!.scenario)
        .join(', ')} (only the CI profile's numbers above).`,
    );
  }
  lines.push('');
  lines.push('## Profiles');
  lines.push('');
  lines.push('| | ci (default) | full |');
  lines.push('| --- | --- | --- |');
  const k = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const profile = (p: { readonly [K in keyof (typeof SCALE)['ci']]: number }) => [
    `${k(p.crashTrades)} trades, ${p.crashKills} kills`,
    `${p.outageMs / 1000} s, ${k(p.outageTrades)} trades`,
    `${k(p.redisTrades)} queued trades, down 5 s`,
    `${p.faultPhaseMs / 1000} s per fault`,
    `${p.loadProducers} × ${k(p.loadRatePerProducer)} trades/s for ${p.loadSeconds} s`,
    `${k(p.badPayloads)} queue payloads + ${k(p.httpFuzz)} HTTP bodies`,
  ];
  const ci = profile(SCALE.ci);
  const full = profile(SCALE.full);
  ['crash storm', 'database outage', 'Redis restart', 'broker faults', 'load', 'bad input'].forEach(
    (name, i) => {
      lines.push(`| ${name} | ${ci[i]} | ${full[i]} |`);
    },
  );
  lines.push('');
  lines.push('## Figures per scenario');
  for (const r of rows) {
    const figures = Object.entries(r.figures ?? {});
    if (figures.length === 0) continue;
    lines.push('');
    lines.push(`### ${r.scenario} (${r.profile})`);
    lines.push('');
    for (const [k, v] of figures) lines.push(`- ${k}: ${cell(v)}`);
  }
  lines.push('');
  return lines.join('\n');
}

export function writeReport(path = REPORT_PATH): string {
  writeFileSync(path, renderReport(readResults()));
  return path;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(`wrote ${writeReport()}\n`);
}
