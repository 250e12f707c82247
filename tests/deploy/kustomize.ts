import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { isRecord, readYamlDocuments } from './support.js';

/**
 * Just enough of `kustomize build` for deploy/k8s: resources (files and directories), namespace,
 * labels (without selectors), images, and patches (strategic-merge files, and inline JSON 6902
 * patches with a target). Any other kustomization field is an error, so this stays honest about
 * what it understands. When kubectl is installed, tests/deploy compares its output with
 * `kubectl kustomize`.
 */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string; labels?: Record<string, string> };
};

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'labels', 'images', 'patches']);
/** Kinds that have no namespace. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
]);

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: {
    path?: string;
    patch?: string;
    target?: { group?: string; version?: string; kind?: string; name?: string };
  }[];
}

export function kustomizeBuild(dir: string): K8sObject[] {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const [k] = readYamlDocuments(file) as [Kustomization & Record<string, unknown>];
  for (const key of Object.keys(k)) {
    if (!SUPPORTED.has(key)) throw new Error(`${file}: field "${key}" is not supported by the test builder`);
  }
  let objects: K8sObject[] = [];
  for (const entry of k.resources ?? []) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    if (statSync(path).isDirectory()) objects.push(...kustomizeBuild(path));
    else objects.push(...readYamlDocuments(path).map((o) => asObject(o, path)));
  }
  assertUnique(objects, file);

  for (const p of k.patches ?? []) {
    if (p.path !== undefined) {
      const path = resolve(dir, p.path);
      if (!existsSync(path)) throw new Error(`${file}: patch ${p.path} does not exist`);
      for (const patch of readYamlDocuments(path).map((o) => asObject(o, path))) {
        const i = objects.findIndex((o) => sameId(o, patch));
        if (i < 0) throw new Error(`${path}: patch target ${id(patch)} not found`);
        objects[i] = strategicMerge(objects[i]!, patch) as K8sObject;
      }
    } else if (p.patch !== undefined && p.target !== undefined) {
      const ops = parse(p.patch) as unknown;
      if (!Array.isArray(ops)) throw new Error(`${file}: inline patches must be JSON 6902 operation lists`);
      const t = p.target;
      const targets = objects.filter(
        (o) =>
          (t.kind === undefined || o.kind === t.kind) &&
          (t.name === undefined || o.metadata.name === t.name) &&
          (t.group === undefined || groupOf(o) === t.group),
      );
      if (targets.length === 0) throw new Error(`${file}: patch target ${JSON.stringify(t)} matches nothing`);
      objects = objects.map((o) => (targets.includes(o) ? applyJson6902(o, ops, file) : o));
    } else {
      throw new Error(`${file}: a patch needs path, or patch and target`);
    }
  }

  if (k.namespace !== undefined) {
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
    }
  }
  for (const l of k.labels ?? []) {
    if (l.includeSelectors || l.includeTemplates)
      throw new Error(`${file}: label selectors/templates unsupported`);
    for (const o of objects) o.metadata.labels = { ...o.metadata.labels, ...l.pairs };
  }
  for (const img of k.images ?? []) {
    for (const o of objects) {
      for (const c of podContainers(o)) {
        const image = String(c['image'] ?? '');
        const name = image.replace(/[@:][^/]*$/, '');
        if (name === img.name) {
          const tag =
            img.newTag ?? (image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : undefined);
          c['image'] = `${img.newName ?? name}${tag !== undefined ? `:${tag}` : ''}`;
        }
      }
    }
  }
  return objects;
}

/** Containers and init containers of a workload's pod template (mutable views). */
export function podContainers(o: K8sObject): Record<string, unknown>[] {
  const spec = podSpec(o);
  if (!spec) return [];
  return [...asArray(spec['initContainers']), ...asArray(spec['containers'])].filter(isRecord);
}

export function podSpec(o: K8sObject): Record<string, unknown> | undefined {
  const spec = o['spec'];
  if (!isRecord(spec)) return undefined;
  const template = spec['template'];
  if (!isRecord(template)) return undefined;
  const podSpec = template['spec'];
  return isRecord(podSpec) ? podSpec : undefined;
}

export function id(o: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function asObject(o: unknown, path: string): K8sObject {
  if (
    !isRecord(o) ||
    typeof o['apiVersion'] !== 'string' ||
    typeof o['kind'] !== 'string' ||
    !isRecord(o['metadata']) ||
    typeof o['metadata']['name'] !== 'string'
  ) {
    throw new Error(`${path}: every document needs apiVersion, kind and metadata.name`);
  }
  return structuredClone(o) as K8sObject;
}

function groupOf(o: K8sObject): string {
  return o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
}

function sameId(a: K8sObject, b: K8sObject): boolean {
  return a.kind === b.kind && a.metadata.name === b.metadata.name && groupOf(a) === groupOf(b);
}

function assertUnique(objects: K8sObject[], file: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion} ${id(o)}`;
    if (seen.has(key)) throw new Error(`${file}: ${key} defined twice`);
    seen.add(key);
  }
}

/** Strategic merge as kustomize does it for the shapes used here: maps merge, named lists merge by name. */
function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isRecord(base) && isRecord(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      out[key] = key in base ? strategicMerge(base[key], value) : structuredClone(value);
    }
    return out;
  }
  if (
    Array.isArray(base) &&
    Array.isArray(patch) &&
    patch.every((p) => isRecord(p) && typeof p['name'] === 'string')
  ) {
    const out = base.map((b) => structuredClone(b) as unknown);
    for (const p of patch as Record<string, unknown>[]) {
      const i = out.findIndex((b) => isRecord(b) && b['name'] === p['name']);
      if (i >= 0) out[i] = strategicMerge(out[i], p);
      else out.push(structuredClone(p));
    }
    return out;
  }
  return structuredClone(patch);
}

function applyJson6902(o: K8sObject, ops: unknown[], file: string): K8sObject {
  const out = structuredClone(o);
  for (const op of ops) {
    if (!isRecord(op) || typeof op['op'] !== 'string' || typeof op['path'] !== 'string') {
      throw new Error(`${file}: malformed JSON 6902 operation`);
    }
    const parts = op['path']
      .split('/')
      .slice(1)
      .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = parts.pop();
    if (last === undefined) throw new Error(`${file}: empty patch path`);
    let node: unknown = out;
    for (const part of parts) {
      node = Array.isArray(node) ? node[Number(part)] : isRecord(node) ? node[part] : undefined;
      if (node === undefined) throw new Error(`${file}: ${op['path']} does not exist in ${id(o)}`);
    }
    const container = node as Record<string, unknown> | unknown[];
    const key = Array.isArray(container) ? Number(last) : last;
    switch (op['op']) {
      case 'replace':
        if (!(key in container)) throw new Error(`${file}: replace of missing ${op['path']} in ${id(o)}`);
        (container as Record<string | number, unknown>)[key] = structuredClone(op['value']);
        break;
      case 'add':
        if (Array.isArray(container)) {
          container.splice(last === '-' ? container.length : Number(last), 0, structuredClone(op['value']));
        } else {
          container[last] = structuredClone(op['value']);
        }
        break;
      case 'remove':
        if (Array.isArray(container)) container.splice(Number(last), 1);
        else delete container[last];
        break;
      default:
        throw new Error(`${file}: JSON 6902 op ${op['op']} unsupported`);
    }
  }
  return out;
}

/** The overlays under `<k8sDir>/overlays`, by name. */
export function overlayDirs(k8sDir: string): Record<string, string> {
  const root = join(k8sDir, 'overlays');
  return Object.fromEntries(
    readdirSync(root)
      .sort()
      .map((name) => [name, join(root, name)] as const)
      .filter(([, dir]) => existsSync(join(dir, 'kustomization.yaml'))),
  );
}
