import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_OPS_PORTS } from '@friren/config';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACT_ENV, isAllowedEnv } from './contract-env.js';
import { missingRunnable, readText, readYaml, repoPath, runnableOf } from './support.js';

// Docker Compose is not installed on these machines: deploy/compose.yaml is checked against a
// zod schema of the compose-spec fields it uses (unknown keys are errors, so a typo fails),
// then for consistency with the apps, the contract, Prometheus and the Dockerfile.

const stringList = z.array(z.string());
const command = z.union([z.string(), stringList]);
const service = z
  .object({
    image: z.string().optional(),
    build: z.object({ context: z.string(), dockerfile: z.string() }).strict().optional(),
    command: command.optional(),
    user: z.string().optional(),
    init: z.boolean().optional(),
    restart: z.enum(['no', 'always', 'unless-stopped', 'on-failure']).optional(),
    read_only: z.boolean().optional(),
    tmpfs: stringList.optional(),
    cap_drop: stringList.optional(),
    security_opt: stringList.optional(),
    stop_grace_period: z.string().optional(),
    profiles: stringList.optional(),
    env_file: z.array(z.object({ path: z.string(), required: z.boolean().optional() }).strict()).optional(),
    environment: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    secrets: stringList.optional(),
    volumes: stringList.optional(),
    ports: stringList.optional(),
    depends_on: z
      .union([
        stringList,
        z.record(
          z.string(),
          z
            .object({
              condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
              required: z.boolean().optional(),
            })
            .strict(),
        ),
      ])
      .optional(),
    deploy: z
      .object({
        replicas: z.number().int().positive().optional(),
        resources: z
          .object({ limits: z.object({ cpus: z.string(), memory: z.string() }).strict().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    healthcheck: z
      .object({
        test: z.union([z.string(), stringList]),
        interval: z.string().optional(),
        timeout: z.string().optional(),
        retries: z.number().optional(),
        start_period: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const composeSchema = z
  .object({
    name: z.string(),
    services: z.record(z.string(), service),
    secrets: z.record(z.string(), z.object({ file: z.string() }).strict()),
    volumes: z.record(z.string(), z.null()),
  })
  .catchall(z.unknown()); // x-* extension fields (anchors)

type Service = z.infer<typeof service>;
const compose = composeSchema.parse(readYaml('deploy/compose.yaml'));
// The compose interpolation, verbatim.
const FRIREN_IMAGE = ['${', 'FRIREN_IMAGE:-friren:local}'].join('');
const frirenServices = Object.entries(compose.services).filter(([, s]) => s.image === FRIREN_IMAGE);

function envOf(s: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
}

/** `NAME=value` lines of an env file (comments and blanks dropped). */
function envFile(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readText(path).split('\n')) {
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** deploy/prometheus/prometheus.yml: job → { names, port } of its DNS discovery. */
function scrapeJobs(file: string): Map<string, { names: string[]; port: number }> {
  const doc = readYaml('deploy', 'prometheus', file) as {
    scrape_configs: { job_name: string; dns_sd_configs?: { names: string[]; port: number }[] }[];
  };
  return new Map(
    doc.scrape_configs
      .filter((c) => c.dns_sd_configs)
      .map((c) => [
        c.job_name,
        { names: c.dns_sd_configs!.flatMap((d) => d.names), port: c.dns_sd_configs![0]!.port },
      ]),
  );
}

describe('compose', () => {
  it('runs one Friren image, built from ../Dockerfile, for every app, the migration and the simulator', () => {
    const names = frirenServices.map(([n]) => n).sort();
    expect(names).toEqual(
      ['alpaca-sim', 'analytics', 'migrate', 'orchestrator', 'poller', 'trade-recorder'].sort(),
    );
    for (const [name, s] of frirenServices) {
      expect(s.build, name).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    }
    expect(existsSync(repoPath('Dockerfile'))).toBe(true);
  });

  it('every Friren service runs a program that exists in this repository', () => {
    const problems: string[] = [];
    for (const [name, s] of frirenServices) {
      const target = runnableOf(s.command ?? []);
      if (!target) {
        problems.push(`${name}: command ${JSON.stringify(s.command)} runs no apps/* or packages/* program`);
        continue;
      }
      const missing = missingRunnable(target);
      if (missing) problems.push(`${name}: ${missing}`);
      if (target.dir.startsWith('apps/')) expect(target.name, name).toBe(name);
    }
    expect(problems).toEqual([]);
  });

  it('sets only docs/CONTRACT.md §1 variables (and documented app knobs), from .env.example and per service', () => {
    const example = envFile('deploy/.env.example');
    for (const key of Object.keys(example))
      expect(isAllowedEnv(key, 'any'), `.env.example ${key}`).toBe(true);
    for (const [name, s] of frirenServices) {
      const app = runnableOf(s.command ?? [])?.name ?? name;
      for (const key of Object.keys(envOf(s))) expect(isAllowedEnv(key, app), `${name}: ${key}`).toBe(true);
      if (name !== 'migrate' && name !== 'alpaca-sim') {
        expect(
          s.env_file?.map((f) => f.path),
          name,
        ).toEqual(['./.env.example', './.env']);
        // A variable and its *_FILE twin together stop the app at start.
        for (const key of Object.keys(envOf(s))) {
          if (key.endsWith('_FILE'))
            expect(example[key.slice(0, -5)], `${name}: ${key} and .env.example`).toBeUndefined();
        }
      }
    }
  });

  it('.env.example covers every docs/CONTRACT.md §1 variable (set, or named where compose sets it)', () => {
    const text = readText('deploy/.env.example');
    for (const v of CONTRACT_ENV) expect(text, v).toMatch(new RegExp(`\\b${v}\\b`));
    // Defaults as in docs/CONTRACT.md §1.
    expect(envFile('deploy/.env.example')).toMatchObject({
      FRIREN_PREFIX: 'friren',
      FRIREN_ACCOUNTS: 'default',
      ALPACA_BASE_URL: 'https://paper-api.alpaca.markets',
      ALPACA_RATE_LIMIT_PER_MIN: '200',
      SNAPSHOT_REFRESH_MS: '30000',
      SNAPSHOT_TTL_MS: '90000',
      SNAPSHOT_MIN_INTERVAL_MS: '2000',
      PORTFOLIO_HISTORY_REFRESH_MS: '900000',
      PNL_METHOD: 'fifo',
      LOG_LEVEL: 'info',
    });
  });

  it('ops ports agree between each app, its service and the Prometheus scrape config', () => {
    const jobs = scrapeJobs('prometheus.yml');
    for (const app of ['poller', 'trade-recorder', 'analytics', 'orchestrator'] as const) {
      const s = compose.services[app]!;
      const port = Number(envOf(s)['OPS_PORT']);
      expect(port, app).toBe(DEFAULT_OPS_PORTS[app]);
      // Ops servers listen on loopback unless told otherwise; Prometheus scrapes from its own container.
      expect(envOf(s)['OPS_HOST'], app).toBe('0.0.0.0');
      expect(jobs.get(`friren-${app}`), app).toEqual({ names: [app], port });
    }
    const orchestrator = envOf(compose.services['orchestrator']!);
    expect(orchestrator['HTTP_HOST']).toBe('0.0.0.0');
    expect(compose.services['orchestrator']!.ports).toEqual([`127.0.0.1:8080:${orchestrator['HTTP_PORT']}`]);
  });

  it('runs two pollers and two recorders, after Redis is healthy and the migration has succeeded', () => {
    expect(compose.services['poller']!.deploy?.replicas).toBe(2);
    expect(compose.services['trade-recorder']!.deploy?.replicas).toBe(2);
    for (const app of ['poller', 'trade-recorder', 'analytics', 'orchestrator']) {
      expect(compose.services[app]!.depends_on, app).toMatchObject({
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(compose.services['migrate']!.depends_on).toEqual({ mysql: { condition: 'service_healthy' } });
    expect(compose.services['migrate']!.restart).toBe('no');
    expect(compose.services['alpaca-sim']!.profiles).toEqual(['sim']);
    for (const [name, s] of Object.entries(compose.services)) {
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const d of deps) expect(compose.services[d], `${name} depends on ${d}`).toBeDefined();
    }
  });

  it('secrets are files: every *_FILE points at a secret the service mounts and init.sh creates', () => {
    const init = readText('deploy/secrets/init.sh');
    for (const [name, def] of Object.entries(compose.secrets)) {
      expect(def.file, name).toBe(`./secrets/${name}`);
      expect(init, `init.sh writes ${name}`).toMatch(new RegExp(`^write ${name} `, 'm'));
    }
    for (const [name, s] of Object.entries(compose.services)) {
      for (const secret of s.secrets ?? [])
        expect(compose.secrets[secret], `${name}: ${secret}`).toBeDefined();
      for (const [key, value] of Object.entries(envOf(s))) {
        if (!key.endsWith('_FILE')) continue;
        const m = /^\/run\/secrets\/([a-z_]+)$/.exec(value);
        expect(m, `${name}: ${key}=${value}`).not.toBeNull();
        expect(s.secrets, `${name} mounts ${m![1]}`).toContain(m![1]);
      }
    }
    // The broker keys only where the broker is called.
    for (const [name, s] of frirenServices) {
      const hasKeys = (s.secrets ?? []).some((x) => x.startsWith('alpaca_'));
      expect(hasKeys, name).toBe(name === 'poller');
    }
  });

  it('Redis keeps an AOF every second, never evicts, and needs a password; MySQL is utf8mb4 in UTC', () => {
    const conf = readText('deploy/redis/redis.conf');
    expect(conf).toMatch(/^appendonly yes$/m);
    expect(conf).toMatch(/^appendfsync everysec$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    const redis = compose.services['redis']!;
    expect(String(redis.command)).toContain('requirepass');
    expect(String(redis.command)).toContain('/run/secrets/redis_password');
    expect(redis.volumes).toContain('./redis/redis.conf:/usr/local/etc/redis/redis.conf:ro');
    const mysql = compose.services['mysql']!;
    expect(mysql.image).toMatch(/^mysql:8/);
    expect(mysql.command).toEqual(
      expect.arrayContaining(['--character-set-server=utf8mb4', '--default-time-zone=+00:00']),
    );
    expect(envOf(mysql)).toMatchObject({ TZ: 'UTC', MYSQL_DATABASE: 'friren' });
    // The URLs init.sh builds point at these services and that database.
    const init = readText('deploy/secrets/init.sh');
    expect(init).toContain('@redis:6379');
    expect(init).toContain('@mysql:3306/friren');
  });

  it('Prometheus and Grafana get their configuration from deploy/', () => {
    expect(compose.services['prometheus']!.volumes).toContain('./prometheus:/etc/prometheus:ro');
    expect(compose.services['prometheus']!.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(envOf(compose.services['grafana']!)['GF_SECURITY_ADMIN_PASSWORD__FILE']).toBe(
      '/run/secrets/grafana_admin_password',
    );
  });
});

describe('Dockerfile', () => {
  const dockerfile = readText('Dockerfile');

  it('pins the pnpm of package.json, deploys production dependencies, runs as a non-root user', () => {
    const pkg = JSON.parse(readText('package.json')) as { packageManager: string };
    expect(dockerfile).toContain(`ARG PNPM_VERSION=${pkg.packageManager.split('@')[1]}`);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/deploy --legacy --prod/);
    expect(dockerfile).toMatch(/^FROM .* AS build$/m);
    expect(dockerfile).toMatch(/^FROM .* AS runtime$/m);
    expect(dockerfile).toMatch(/^USER 10001:10001$/m);
    const k8sPoller = readText('deploy/k8s/base/poller.yaml');
    expect(k8sPoller).toContain('runAsUser: 10001');
  });

  it("HEALTHCHECK runs the copied healthcheck script, whose default ports are the apps' ones", () => {
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "\/app\/healthcheck.mjs"\]$/m);
    expect(dockerfile).toContain('COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs');
    const script = readText('deploy/docker/healthcheck.mjs');
    const literal = /DEFAULT_OPS_PORTS = (\{[^}]*\})/.exec(script)?.[1];
    const ports = Function(`return ${literal}`)() as Record<string, number>;
    expect(ports).toEqual(DEFAULT_OPS_PORTS);
  });

  it('.dockerignore keeps build output, dependencies and secrets out, and the workspace manifests in', () => {
    const lines = readText('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    for (const l of ['**/node_modules', '**/dist', '.git', '.env', 'deploy/*']) expect(lines).toContain(l);
    expect(lines).toContain('!tests/package.json');
    expect(lines).toContain('!deploy/docker');
  });

  it('the healthcheck passes on a 200 from /healthz and fails otherwise', async () => {
    let status = 200;
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    // Asynchronous: the server lives in this process and must keep answering.
    const run = async () => {
      const child = spawn(process.execPath, [repoPath('deploy/docker/healthcheck.mjs')], {
        env: { ...process.env, OPS_PORT: String(port) },
        stdio: 'ignore',
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    };
    try {
      expect(await run()).toBe(0);
      status = 503;
      expect(await run()).toBe(1);
    } finally {
      server.close();
    }
    expect(readFileSync(repoPath('deploy/docker/healthcheck.mjs'), 'utf8')).toContain('/healthz');
  });
});
