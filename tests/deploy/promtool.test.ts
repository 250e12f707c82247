import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createMetrics } from '@friren/observability';
import { describe, expect, it } from 'vitest';
import { DEPLOY, listFiles, readYamlDocuments, which, withoutLintExceptions } from './support.js';

// promtool comes from Debian's `prometheus` package; scripts/test-tools installs it (scripts/test runs
// it first). Absent promtool is a failure, not a skip: these checks are the point.
const PROM_DIR = join(DEPLOY, 'prometheus');
const PROMTOOL = which('promtool');

function promtool(args: string[], input?: string): { code: number | null; output: string } {
  if (!PROMTOOL) {
    throw new Error(
      "promtool not found: run `bash scripts/test-tools` (installs Debian's prometheus package)",
    );
  }
  const r = spawnSync(PROMTOOL, args, { cwd: PROM_DIR, encoding: 'utf8', input, timeout: 30_000 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('promtool', () => {
  it.each(['prometheus.yml', 'prometheus.k8s.yml'])('check config %s', (config) => {
    const r = promtool(['check', 'config', config]);
    expect(r.output).toContain('SUCCESS');
    expect(r.code, r.output).toBe(0);
  });

  it('check rules', () => {
    const rules = listFiles(join(PROM_DIR, 'rules'), '.yml').map((f) => `rules/${f}`);
    expect(rules.length).toBeGreaterThan(0);
    const r = promtool(['check', 'rules', ...rules]);
    expect(r.code, r.output).toBe(0);
  });

  it('test rules (the unit tests of every alert and recording rule)', () => {
    const tests = listFiles(join(PROM_DIR, 'tests'), '.test.yml').map((f) => `tests/${f}`);
    expect(tests.length).toBeGreaterThan(0);
    const r = promtool(['test', 'rules', ...tests]);
    expect(r.output).not.toContain('FAILED');
    expect(r.code, r.output).toBe(0);
  });

  it('every alert has a unit test that makes it fire, and a case where it stays quiet', () => {
    const alerts = new Set<string>();
    for (const f of listFiles(join(PROM_DIR, 'rules'), '.yml')) {
      const [doc] = readYamlDocuments(join(PROM_DIR, 'rules', f)) as [
        { groups: { rules: { alert?: string }[] }[] },
      ];
      for (const rule of doc.groups.flatMap((g) => g.rules)) if (rule.alert) alerts.add(rule.alert);
    }
    const fires = new Set<string>();
    const quiet = new Set<string>();
    for (const f of listFiles(join(PROM_DIR, 'tests'), '.test.yml')) {
      const [doc] = readYamlDocuments(join(PROM_DIR, 'tests', f)) as [
        { tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] },
      ];
      for (const t of doc.tests.flatMap((t) => t.alert_rule_test ?? [])) {
        ((t.exp_alerts?.length ?? 0) > 0 ? fires : quiet).add(t.alertname);
      }
    }
    expect(
      [...alerts].filter((a) => !fires.has(a)),
      'alerts never shown firing',
    ).toEqual([]);
    expect(
      [...alerts].filter((a) => !quiet.has(a)),
      'alerts never shown quiet',
    ).toEqual([]);
    expect(
      [...fires].filter((a) => !alerts.has(a)),
      'tests of alerts that do not exist',
    ).toEqual([]);
    expect(alerts.size).toBeGreaterThanOrEqual(10);
  });

  // The same check runs over each app's /metrics in prometheus-live.test.ts; this one covers the
  // shared registry (process metrics) without starting anything.
  it('check metrics: the shared registry passes the exposition-format lint', async () => {
    const { registry } = createMetrics();
    const r = promtool(['check', 'metrics'], withoutLintExceptions(await registry.metrics()));
    expect(r.code, r.output).toBe(0);
  });
});
