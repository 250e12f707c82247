import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_OPS_PORTS } from '@friren/config';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isAllowedEnv } from './contract-env.js';
import { id, type K8sObject, kustomizeBuild, overlayDirs, podContainers, podSpec } from './kustomize.js';
import {
  APPS,
  type AppName,
  DEPLOY,
  isRecord,
  missingRunnable,
  readYamlDocuments,
  runnableOf,
  which,
} from './support.js';

// Schema validation: kubeconform is neither on npm nor in Debian, so the objects are validated
// with kubernetes-models (the Kubernetes OpenAPI schemas, compiled; KEDA's CRD schema for
// ScaledObject), then checked for consistency below. kustomize is replaced by a small builder
// (kustomize.ts), compared with `kubectl kustomize` where kubectl happens to be installed.

const K8S = join(DEPLOY, 'k8s');
const OVERLAYS = overlayDirs(K8S);
const IMAGE = /^ghcr\.io\/friren\/friren:[\w.-]+$/;
const KEDA_SCALED: Record<string, string> = { 'trade-recorder': 'trades', analytics: 'analytics' };

// biome-ignore lint/suspicious/noExplicitAny: the model classes take their own typed input.
type ModelClass = new (data: any) => { validate(): void };
const MODELS: Record<string, ModelClass> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Namespace': Namespace,
  'v1 ServiceAccount': ServiceAccount,
  'v1 Secret': Secret,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1 ScaledObject': ScaledObject,
};

/** Container fields of the Kubernetes API: a misspelt one is silently ignored by the API server. */
const CONTAINER_FIELDS = new Set([
  'name',
  'image',
  'command',
  'args',
  'workingDir',
  'ports',
  'envFrom',
  'env',
  'resources',
  'resizePolicy',
  'restartPolicy',
  'volumeMounts',
  'volumeDevices',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'securityContext',
  'stdin',
  'stdinOnce',
  'tty',
]);

function validate(o: K8sObject): void {
  const Model = MODELS[`${o.apiVersion} ${o.kind}`];
  if (!Model) throw new Error(`${id(o)}: no schema for ${o.apiVersion} ${o.kind}`);
  new Model(o).validate();
}

interface Container {
  name: string;
  image: string;
  command: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

function containers(o: K8sObject, init = false): Container[] {
  const spec = podSpec(o) ?? {};
  return ((init ? spec['initContainers'] : spec['containers']) ?? []) as Container[];
}

function templateLabels(o: K8sObject): Record<string, string> {
  return (o['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata
    .labels;
}

function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The secret template's keys (the Secret every overlay expects to exist). */
function secretTemplateKeys(): string[] {
  const [secret] = readYamlDocuments(join(K8S, 'base', 'secret.template.yaml')) as [K8sObject];
  validate(secret);
  return Object.keys(secret['stringData'] as Record<string, string>);
}

describe.each(Object.entries(OVERLAYS))('k8s overlay %s', (overlay, dir) => {
  const objects = kustomizeBuild(dir);
  const namespace = `friren-${overlay}`;
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = byKind('Deployment');
  const deploymentOf = (app: AppName) => deployments.find((d) => d.metadata.name === `friren-${app}`);

  it('every object passes its Kubernetes (or KEDA) schema', () => {
    for (const o of objects) expect(() => validate(o), id(o)).not.toThrow();
    for (const o of objects) {
      for (const c of podContainers(o)) {
        const unknown = Object.keys(c).filter((k) => !CONTAINER_FIELDS.has(k));
        expect(unknown, `${id(o)} container ${String(c['name'])}`).toEqual([]);
      }
    }
  });

  it('everything lands in its own namespace, labelled as part of friren', () => {
    expect(byKind('Namespace').map((n) => n.metadata.name)).toEqual([namespace]);
    for (const o of objects) {
      if (o.kind !== 'Namespace') expect(o.metadata.namespace, id(o)).toBe(namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of'], id(o)).toBe('friren');
    }
  });

  it('has a Deployment per app running that app from one image, and the apps exist', () => {
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(APPS.map((a) => `friren-${a}`).sort());
    const problems: string[] = [];
    for (const d of deployments) {
      for (const c of [...containers(d, true), ...containers(d)]) {
        expect(c.image, `${id(d)} ${c.name}`).toMatch(IMAGE);
        const target = runnableOf(c.command);
        expect(target, `${id(d)} ${c.name} command`).toBeDefined();
        const missing = target && missingRunnable(target);
        if (missing) problems.push(`${id(d)} ${c.name}: ${missing}`);
      }
      const [main] = containers(d);
      expect(containers(d)).toHaveLength(1);
      expect(`friren-${runnableOf(main!.command)?.name}`, id(d)).toBe(d.metadata.name);
    }
    expect(new Set(deployments.flatMap((d) => containers(d).map((c) => c.image))).size).toBe(1);
    expect(problems).toEqual([]);
  });

  it("probes hit /healthz and /readyz on the ops port, which is the app's OPS_PORT", () => {
    for (const app of APPS) {
      const d = deploymentOf(app)!;
      const [c] = containers(d);
      const ops = c!.ports?.find((p) => p.name === 'ops');
      expect(ops?.containerPort, app).toBe(DEFAULT_OPS_PORTS[app]);
      expect(c!.env?.find((e) => e.name === 'OPS_PORT')?.value, app).toBe(String(DEFAULT_OPS_PORTS[app]));
      // Ops servers listen on loopback unless told otherwise; kubelet and Prometheus come from outside the pod.
      expect(c!.env?.find((e) => e.name === 'OPS_HOST')?.value, app).toBe('0.0.0.0');
      expect(c!.livenessProbe?.httpGet, app).toEqual({ path: '/healthz', port: 'ops' });
      expect(c!.readinessProbe?.httpGet, app).toEqual({ path: '/readyz', port: 'ops' });
      if (c!.startupProbe) expect(c!.startupProbe.httpGet, app).toEqual({ path: '/healthz', port: 'ops' });
      const annotations = (d['spec'] as { template: { metadata: { annotations: Record<string, string> } } })
        .template.metadata.annotations;
      expect(annotations['prometheus.io/port'], app).toBe(String(DEFAULT_OPS_PORTS[app]));
    }
    const [orchestrator] = containers(deploymentOf('orchestrator')!);
    const http = orchestrator!.ports?.find((p) => p.name === 'http');
    const env = Object.fromEntries((orchestrator!.env ?? []).map((e) => [e.name, e.value]));
    expect(String(http?.containerPort)).toBe(env['HTTP_PORT']);
    expect(env['HTTP_HOST']).toBe('0.0.0.0');
    expect(env['FRIREN_API_TOKEN_FILE']).toBeDefined();
  });

  it('sets only docs/CONTRACT.md §1 variables (and app knobs); ConfigMap keys too', () => {
    const [cm] = byKind('ConfigMap');
    expect(cm?.metadata.name).toBe('friren-config');
    for (const key of Object.keys(cm!['data'] as Record<string, string>))
      expect(isAllowedEnv(key, 'any'), key).toBe(true);
    expect((cm!['data'] as Record<string, string>)['ALPACA_BASE_URL']).toBe(
      overlay === 'live' ? 'https://api.alpaca.markets' : 'https://paper-api.alpaca.markets',
    );
    for (const d of deployments) {
      for (const c of [...containers(d, true), ...containers(d)]) {
        const app = runnableOf(c.command)?.name ?? '';
        for (const e of c.env ?? [])
          expect(isAllowedEnv(e.name, app), `${id(d)} ${c.name} ${e.name}`).toBe(true);
        for (const f of c.envFrom ?? []) {
          expect(
            byKind('ConfigMap').some((m) => m.metadata.name === f.configMapRef?.name),
            id(d),
          ).toBe(true);
        }
      }
    }
  });

  it('secrets are files from friren-secrets; every *_FILE names a mounted key of the template', () => {
    const keys = secretTemplateKeys();
    for (const d of deployments) {
      const volumes = (podSpec(d)?.['volumes'] ?? []) as {
        name: string;
        secret?: { secretName: string; items?: { key: string; path: string }[] };
      }[];
      for (const c of [...containers(d, true), ...containers(d)]) {
        for (const e of c.env ?? []) {
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) {
            expect(ref.name).toBe('friren-secrets');
            expect(keys, `${id(d)} ${e.name}`).toContain(ref.key);
          }
          if (!e.name.endsWith('_FILE')) continue;
          const mount = c.volumeMounts?.find((m) => e.value?.startsWith(`${m.mountPath}/`));
          expect(mount, `${id(d)} ${e.name}=${e.value} is under a mount`).toBeDefined();
          const volume = volumes.find((v) => v.name === mount!.name);
          expect(volume?.secret?.secretName, id(d)).toBe('friren-secrets');
          const file = e.value!.slice(mount!.mountPath.length + 1);
          const item = volume!.secret!.items?.find((i) => i.path === file);
          expect(item, `${id(d)} mounts ${file}`).toBeDefined();
          expect(keys, `${id(d)} ${file}`).toContain(item!.key);
        }
      }
      // Broker keys only where the broker is called.
      const mountsBrokerKeys = volumes.some((v) => v.secret?.items?.some((i) => i.key.startsWith('alpaca-')));
      expect(mountsBrokerKeys, id(d)).toBe(d.metadata.name === 'friren-poller');
    }
  });

  it('Services select the pods and target their named ports; each app has a headless ops Service', () => {
    const services = byKind('Service');
    for (const s of services) {
      const spec = s['spec'] as {
        selector: Record<string, string>;
        ports: { name: string; port: number; targetPort: string }[];
      };
      const targets = deployments.filter((d) => selects(spec.selector, templateLabels(d)));
      expect(targets, id(s)).toHaveLength(1);
      const ports = containers(targets[0]!)[0]!.ports ?? [];
      for (const p of spec.ports) {
        const cp = ports.find((x) => x.name === p.targetPort);
        expect(cp, `${id(s)} port ${p.name}`).toBeDefined();
        expect(p.port, `${id(s)} port ${p.name}`).toBe(cp!.containerPort);
      }
    }
    for (const app of APPS) {
      const s = services.find((x) => x.metadata.name === `friren-${app}-ops`);
      expect(s, app).toBeDefined();
      expect((s!['spec'] as { clusterIP?: string }).clusterIP, app).toBe('None');
    }
  });

  it('Prometheus (prometheus.k8s.yml) scrapes every app through its ops Service in this namespace', () => {
    const [config] = readYamlDocuments(join(DEPLOY, 'prometheus', 'prometheus.k8s.yml')) as [
      { scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[] },
    ];
    for (const app of APPS) {
      const job = config.scrape_configs.find((j) => j.job_name === `friren-${app}`);
      expect(job, app).toBeDefined();
      expect(job!.dns_sd_configs![0]!.names, app).toContain(
        `friren-${app}-ops.${namespace}.svc.cluster.local`,
      );
      expect(job!.dns_sd_configs![0]!.port, app).toBe(DEFAULT_OPS_PORTS[app]);
    }
  });

  it('has a PodDisruptionBudget per Deployment, requests and memory limits, non-root pods', () => {
    for (const d of deployments) {
      const pdbs = byKind('PodDisruptionBudget').filter((p) =>
        selects(
          (p['spec'] as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
          templateLabels(d),
        ),
      );
      expect(pdbs, id(d)).toHaveLength(1);
      const spec = podSpec(d)!;
      expect(spec['securityContext'], id(d)).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(byKind('ServiceAccount').map((s) => s.metadata.name)).toContain(spec['serviceAccountName']);
      for (const c of [...containers(d, true), ...containers(d)]) {
        expect(c.resources?.requests?.['cpu'], `${id(d)} ${c.name}`).toBeDefined();
        expect(c.resources?.requests?.['memory'], `${id(d)} ${c.name}`).toBeDefined();
        expect(c.resources?.limits?.['memory'], `${id(d)} ${c.name}`).toBeDefined();
      }
    }
  });

  it("runs two pollers (the lease makes that safe); KEDA owns the workers' replica counts", () => {
    expect((deploymentOf('poller')!['spec'] as { replicas?: number }).replicas).toBe(2);
    for (const app of Object.keys(KEDA_SCALED) as AppName[]) {
      expect((deploymentOf(app)!['spec'] as { replicas?: number }).replicas, app).toBeUndefined();
    }
  });

  it('KEDA ScaledObjects scale trade-recorder and analytics on their queue backlog through Prometheus', () => {
    const scaled = byKind('ScaledObject');
    expect(
      scaled.map((s) => (s['spec'] as { scaleTargetRef: { name: string } }).scaleTargetRef.name).sort(),
    ).toEqual(
      Object.keys(KEDA_SCALED)
        .map((a) => `friren-${a}`)
        .sort(),
    );
    for (const s of scaled) {
      const spec = s['spec'] as {
        scaleTargetRef: { kind?: string; name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
      };
      expect(
        deployments.some((d) => d.metadata.name === spec.scaleTargetRef.name),
        id(s),
      ).toBe(true);
      expect(spec.scaleTargetRef.kind ?? 'Deployment').toBe('Deployment');
      expect(spec.minReplicaCount, id(s)).toBeGreaterThanOrEqual(1);
      expect(spec.maxReplicaCount).toBeGreaterThan(spec.minReplicaCount);
      const queue = KEDA_SCALED[spec.scaleTargetRef.name.replace(/^friren-/, '')]!;
      expect(spec.triggers).toHaveLength(1);
      const [t] = spec.triggers;
      expect(t!.type).toBe('prometheus');
      expect(t!.metadata['serverAddress']).toMatch(/^https?:\/\//);
      expect(Number(t!.metadata['threshold'])).toBeGreaterThan(0);
      const q = t!.metadata['query']!;
      expect(q).toMatch(/friren_queue_jobs\{[^}]*state=~"waiting\|prioritized"/);
      expect(q).toContain(`queue="${queue}"`);
      expect(q).toContain(`namespace="${namespace}"`);
      // Replicas export the same counts: deduplicated, never summed per instance.
      expect(q).toMatch(/max by \(state\)/);
    }
  });

  it('matches `kubectl kustomize` where kubectl is installed', () => {
    const kubectl = which('kubectl');
    if (!kubectl) {
      console.log('kubectl not installed: the TypeScript kustomize builder stands alone');
      return;
    }
    const out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 30_000 });
    const real = parseAllDocuments(out).map((d) => d.toJS() as K8sObject);
    const key = (o: K8sObject) => `${o.apiVersion} ${id(o)}`;
    expect(new Map(objects.map((o) => [key(o), o]))).toEqual(new Map(real.map((o) => [key(o), o])));
  });
});

describe('k8s base', () => {
  it('Redis Cluster: the ConfigMap and the README explain the {friren} hash-tag prefix', () => {
    expect(readFileSync(join(K8S, 'base', 'configmap.yaml'), 'utf8')).toContain('"{friren}"');
    expect(readFileSync(join(K8S, 'README.md'), 'utf8')).toMatch(/Redis Cluster[\s\S]*\{friren\}/);
    expect(readFileSync(join(K8S, 'README.md'), 'utf8')).toMatch(/Redis-list scaler/);
  });

  it('the secret template is not applied by any kustomization', () => {
    for (const dir of [join(K8S, 'base'), ...Object.values(OVERLAYS)]) {
      const [k] = readYamlDocuments(join(dir, 'kustomization.yaml'));
      expect(isRecord(k) && JSON.stringify(k)).not.toContain('secret.template');
    }
  });
});
