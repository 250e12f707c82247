import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kustomizeBuild, overlayDirs } from './kustomize.js';
import { DEPLOY, isRecord, listFiles, readYamlDocuments } from './support.js';

/** One PromQL expression found in a deploy file, with where it came from. */
export interface FoundExpr {
  /** e.g. `rules/friren-alerts.yml FrirenWorkerDown`, `dashboards/account.json #3 Equity`. */
  readonly where: string;
  /** The expression as Prometheus must accept it (Grafana variables substituted). */
  readonly expr: string;
  /** For dashboard panels: the dashboard file and panel title. */
  readonly dashboard?: string;
  readonly panel?: string;
}

export const RULES_DIR = join(DEPLOY, 'prometheus', 'rules');
export const DASHBOARDS_DIR = join(DEPLOY, 'grafana', 'dashboards');

export function ruleExpressions(): FoundExpr[] {
  const out: FoundExpr[] = [];
  for (const file of listFiles(RULES_DIR, '.yml')) {
    const [doc] = readYamlDocuments(join(RULES_DIR, file)) as [
      { groups: { rules: Record<string, string>[] }[] },
    ];
    for (const group of doc.groups) {
      for (const rule of group.rules) {
        out.push({
          where: `rules/${file} ${rule['record'] ?? rule['alert']}`,
          expr: String(rule['expr']).trim(),
        });
      }
    }
  }
  return out;
}

/** Values that stand in for Grafana's variables when an expression is sent to Prometheus. */
const GRAFANA_VARIABLES: Record<string, string> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '5m',
  namespace: '.*',
  account: '.*',
  strategy: '.*',
};

export function substituteGrafanaVariables(expr: string): string {
  return expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const value = GRAFANA_VARIABLES[name];
    if (value === undefined) throw new Error(`unknown Grafana variable $${name} in ${expr}`);
    return value;
  });
}

/** `label_values(selector, label)` → `selector`; `label_values(label)` → undefined. */
function labelValuesSelector(query: string): string | undefined {
  const m = /^label_values\((.*),\s*\w+\)$/s.exec(query.trim());
  return m ? m[1] : undefined;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: { refId: string; expr: string; datasource?: { uid?: string } }[];
  panels?: Panel[];
  gridPos: { h: number; w: number; x: number; y: number };
}

export interface DashboardJson {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; datasource?: { uid?: string }; query?: unknown }[] };
}

export function readDashboards(): Record<string, DashboardJson> {
  return Object.fromEntries(
    listFiles(DASHBOARDS_DIR, '.json').map((f) => [
      f,
      JSON.parse(readFileSync(join(DASHBOARDS_DIR, f), 'utf8')) as DashboardJson,
    ]),
  );
}

/** Every panel, rows' nested panels included. */
export function allPanels(d: DashboardJson): Panel[] {
  return d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export function dashboardExpressions(): FoundExpr[] {
  const out: FoundExpr[] = [];
  for (const [file, d] of Object.entries(readDashboards())) {
    for (const v of d.templating.list) {
      const q = isRecord(v.query) ? v.query['query'] : v.query;
      const selector = typeof q === 'string' ? labelValuesSelector(q) : undefined;
      if (selector !== undefined) {
        out.push({
          where: `dashboards/${file} variable ${v.name}`,
          expr: substituteGrafanaVariables(selector),
        });
      }
    }
    for (const p of allPanels(d)) {
      for (const t of p.targets ?? []) {
        out.push({
          where: `dashboards/${file} #${p.id} ${p.title} ${t.refId}`,
          expr: substituteGrafanaVariables(t.expr),
          dashboard: file,
          panel: p.title,
        });
      }
    }
  }
  return out;
}

/** The Prometheus queries of the KEDA ScaledObjects in every built overlay. */
export function kedaExpressions(): FoundExpr[] {
  const out: FoundExpr[] = [];
  for (const [overlay, dir] of Object.entries(overlayDirs(join(DEPLOY, 'k8s')))) {
    for (const o of kustomizeBuild(dir)) {
      if (o.kind !== 'ScaledObject') continue;
      const triggers = (o['spec'] as { triggers: { type: string; metadata: Record<string, string> }[] })
        .triggers;
      for (const t of triggers) {
        if (t.type === 'prometheus' && t.metadata['query']) {
          out.push({ where: `k8s/${overlay} ScaledObject ${o.metadata.name}`, expr: t.metadata['query'] });
        }
      }
    }
  }
  return out;
}
