import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDashboards, DATASOURCE_UID, renderDashboard } from '../../deploy/grafana/generate.js';
import { allPanels, DASHBOARDS_DIR, readDashboards } from './promql.js';
import { DEPLOY, isRecord, listFiles, readYaml } from './support.js';

const GRAFANA = join(DEPLOY, 'grafana');

function provisionedDatasource(): { uid: string; type: string; url: string } {
  const doc = readYaml('deploy/grafana/provisioning/datasources/prometheus.yaml') as {
    datasources: { uid: string; type: string; url: string }[];
  };
  expect(doc.datasources).toHaveLength(1);
  return doc.datasources[0]!;
}

/** Panel titles each dashboard must have, matched case-insensitively as substrings. */
const REQUIRED_PANELS: Record<string, string[]> = {
  'account.json': ['equity', 'cash', 'buying power', 'day p&l', 'snapshot age'],
  'performance.json': ['p&l', 'sharpe', 'drawdown', 'win rate', 'profit factor', 'sentiment'],
  'pipeline.json': ['queue depth by state', 'trades recorded per second', 'commit latency', 'rejected'],
  'broker.json': ['by outcome', 'rate-limit tokens', 'latency'],
  'cache.json': ['by layer', 'hit ratio'],
};

describe('grafana', () => {
  const dashboards = readDashboards();

  it('has the five dashboards, each the output of deploy/grafana/generate.ts', () => {
    const generated = buildDashboards();
    expect(Object.keys(dashboards).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, d] of Object.entries(generated)) {
      expect(
        readFileSync(join(DASHBOARDS_DIR, file), 'utf8'),
        `${file}: run pnpm tsx deploy/grafana/generate.ts`,
      ).toBe(renderDashboard(d));
    }
  });

  it('the datasource every panel names is the provisioned one', () => {
    const ds = provisionedDatasource();
    expect(ds.uid).toBe(DATASOURCE_UID);
    expect(ds.type).toBe('prometheus');
    // compose's Prometheus service
    expect(ds.url).toBe('http://prometheus:9090');
    for (const [file, d] of Object.entries(dashboards)) {
      for (const p of allPanels(d)) {
        if (p.type === 'row') continue;
        expect(p.datasource?.uid, `${file} #${p.id}`).toBe(ds.uid);
        expect(p.targets?.length, `${file} #${p.id} has no query`).toBeGreaterThan(0);
        for (const t of p.targets ?? [])
          expect(t.datasource?.uid, `${file} #${p.id} ${t.refId}`).toBe(ds.uid);
      }
      for (const v of d.templating.list) expect(v.datasource?.uid, `${file} $${v.name}`).toBe(ds.uid);
    }
  });

  it('panel ids are unique per dashboard, uids across dashboards, and panels fit the grid', () => {
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const [file, d] of Object.entries(dashboards)) {
      const ids = allPanels(d).map((p) => p.id);
      expect(new Set(ids).size, `${file} panel ids`).toBe(ids.length);
      for (const p of allPanels(d)) {
        expect(p.gridPos.x + p.gridPos.w, `${file} #${p.id}`).toBeLessThanOrEqual(24);
        expect(p.gridPos.w).toBeGreaterThan(0);
        expect(p.gridPos.h).toBeGreaterThan(0);
      }
      const refIds = allPanels(d).flatMap((p) => (p.targets ?? []).map((t) => `${p.id}/${t.refId}`));
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('each dashboard has its required panels', () => {
    for (const [file, titles] of Object.entries(REQUIRED_PANELS)) {
      const have = allPanels(dashboards[file]!).map((p) => p.title.toLowerCase());
      for (const t of titles)
        expect(
          have.some((h) => h.includes(t)),
          `${file}: a panel about "${t}"`,
        ).toBe(true);
    }
  });

  it('provisioning loads the dashboards from where compose mounts them', () => {
    const provider = readYaml('deploy/grafana/provisioning/dashboards/friren.yaml') as {
      providers: { type: string; options: { path: string } }[];
    };
    const compose = readYaml('deploy/compose.yaml') as { services: Record<string, { volumes?: string[] }> };
    const mounts = (compose.services['grafana']?.volumes ?? []).map((v) => v.split(':'));
    const dashboardsMount = mounts.find(([src]) => src === './grafana/dashboards');
    expect(dashboardsMount?.[1]).toBe(provider.providers[0]!.options.path);
    expect(
      mounts.some(([src, dst]) => src === './grafana/provisioning' && dst === '/etc/grafana/provisioning'),
    ).toBe(true);
    expect(listFiles(join(GRAFANA, 'provisioning', 'datasources'), '.yaml').length).toBe(1);
    expect(isRecord(provider)).toBe(true);
  });
});
