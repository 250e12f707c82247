import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTradeClient } from '@friren/client';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, freePortRange, type SpawnedApp, spawnApp } from '../support/spawn-app.js';
import { sleep, waitUntil } from '../support/wait.js';
import {
  dashboardExpressions,
  type FoundExpr,
  kedaExpressions,
  RULES_DIR,
  ruleExpressions,
} from './promql.js';
import { APPS, type AppName, listFiles, which, withoutLintExceptions } from './support.js';

// A real Prometheus (Debian's, installed by scripts/test-tools) on a free loopback port,
// scraping a running `friren up --demo` (all four apps in one child process, its own simulator,
// demo fills flowing) with the repository's recording and alert rules loaded. Every PromQL expression of the rules, the dashboards and the
// KEDA triggers goes through /api/v1/query: a parse error comes back as HTTP 400 bad_data. After
// some trades, the Account and Pipeline panels must return series.

const PREFIX = 'friren-deploy-live';
const DATABASE = 'friren_deploy_live';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
// Same convention as packages/db's test support: a server URL whose path is the database.
const MYSQL_SERVER = new URL(process.env['MYSQL_TEST_URL'] ?? 'mysql://root@127.0.0.1:3306/');
const MYSQL_URL = new URL(`/${DATABASE}`, MYSQL_SERVER).toString();
const ACCOUNT = 'default';

/**
 * Panels of the Account and Pipeline dashboards that may legitimately show nothing in this short
 * run, with the reason. Everything else there must return at least one series.
 */
const MAY_BE_EMPTY: Record<string, string> = {};

/** In the order `friren up` assigns ops ports from OPS_PORT (DEFAULT_OPS_PORTS order). */
const apps: readonly AppName[] = APPS;
const promBin = which('prometheus');
let tmp: string;
let promUrl: string;
let prom: ChildProcess | undefined;
let stack: SpawnedApp | undefined;
const opsPorts = new Map<AppName, number>();

async function query(expr: string): Promise<{ status: number; body: PromResponse }> {
  const res = await fetch(`${promUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query: expr }),
  });
  return { status: res.status, body: (await res.json()) as PromResponse };
}

interface PromResponse {
  status: 'success' | 'error';
  errorType?: string;
  error?: string;
  data?: { resultType: string; result: unknown[] };
}

async function startPrometheus(targets: Map<AppName, number>): Promise<void> {
  if (!promBin)
    throw new Error("prometheus not found: run `bash scripts/test-tools` (installs Debian's prometheus)");
  const port = await freePort();
  const rules = listFiles(RULES_DIR, '.yml').map((f) => join(RULES_DIR, f));
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
    rule_files: rules,
    scrape_configs: [...targets].map(([app, opsPort]) => ({
      job_name: `friren-${app}`,
      static_configs: [{ targets: [`127.0.0.1:${opsPort}`] }],
    })),
  };
  writeFileSync(join(tmp, 'prometheus.yml'), JSON.stringify(config));
  prom = spawn(
    promBin,
    [
      `--config.file=${join(tmp, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(tmp, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  );
  promUrl = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${promUrl}/-/ready`).catch(() => undefined))?.ok, 20_000, 100);
}

function stackEnv(opsBase: number, httpPort: number): Record<string, string> {
  return {
    REDIS_URL,
    MYSQL_URL,
    FRIREN_PREFIX: PREFIX,
    FRIREN_ACCOUNTS: ACCOUNT,
    SNAPSHOT_REFRESH_MS: '1000',
    SNAPSHOT_TTL_MS: '5000',
    SNAPSHOT_MIN_INTERVAL_MS: '500',
    OPS_PORT: String(opsBase),
    HTTP_PORT: String(httpPort),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
}

async function cleanRedis(): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function dropDatabase(): Promise<void> {
  const conn = await mysql.createConnection(new URL('/', MYSQL_SERVER).toString());
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  } finally {
    await conn.end();
  }
}

/** Valid trades (recorded) and one that breaks the contract (rejected with a reason). */
async function submitTrades(): Promise<void> {
  const client = createTradeClient({ redisUrl: REDIS_URL, prefix: PREFIX, accounts: [ACCOUNT] });
  try {
    const now = new Date().toISOString();
    await client.submitMany(
      Array.from({ length: 5 }, (_, i) => ({
        trade_id: `deploy-live-${Date.now()}-${i}`,
        account: ACCOUNT,
        symbol: 'AAPL',
        side: i % 2 === 0 ? ('buy' as const) : ('sell' as const),
        quantity: '1',
        price: '190.5',
        timestamp: now,
        strategy_used: 'deploy-check',
      })),
    );
  } finally {
    await client.close();
  }
  const queue = new Queue('trades', { connection: { url: REDIS_URL } as never, prefix: PREFIX });
  try {
    await queue.add('trade', { trade_id: 'deploy-live-bad', account: ACCOUNT, symbol: 'not a symbol' });
  } finally {
    await queue.close();
  }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'friren-deploy-live-'));
  const opsBase = await freePortRange(apps.length);
  for (const [i, app] of apps.entries()) opsPorts.set(app, opsBase + i);
  // Prometheus first: it scrapes each app as soon as it is up.
  await startPrometheus(opsPorts);
  await cleanRedis();
  await dropDatabase();
  // `friren up` migrates, starts its simulator (no broker keys) and the four apps; --demo trades.
  stack = spawnApp('cli', stackEnv(opsBase, await freePort()), ['up', '--demo']);
  const running = stack;
  await Promise.all(
    apps.map((name) =>
      waitUntil(
        async () => {
          if (running.child.exitCode !== null)
            throw new Error(`friren up exited:\n${running.output().slice(-3000)}`);
          return (await fetch(`http://127.0.0.1:${opsPorts.get(name)}/healthz`).catch(() => undefined))?.ok;
        },
        60_000,
        100,
      ),
    ),
  );
  // One bad trade besides the demo's good ones, so the rejected-trades panels have a series.
  await submitTrades();
  // Two successful scrapes of every target.
  await waitUntil(
    async () => {
      const { body } = await query('sum by (job) (sum_over_time(up{job=~"friren-.+"}[1m])) >= 2');
      return body.data?.result.length === apps.length;
    },
    20_000,
    200,
  );
}, 120_000);

afterAll(async () => {
  prom?.kill('SIGTERM');
  if (prom && prom.exitCode === null) await once(prom, 'exit');
  await stack?.stop('SIGINT');
  await cleanRedis();
  await dropDatabase();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('deploy PromQL against a real Prometheus', () => {
  it('every expression of the rules, dashboards and KEDA triggers parses', async () => {
    const exprs: FoundExpr[] = [...ruleExpressions(), ...dashboardExpressions(), ...kedaExpressions()];
    expect(exprs.length).toBeGreaterThan(50);
    const failures: string[] = [];
    for (const e of exprs) {
      const { status, body } = await query(e.expr);
      if (status !== 200 || body.status !== 'success') {
        failures.push(`${e.where}: ${status} ${body.errorType}: ${body.error}\n  ${e.expr}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('the rules load into Prometheus', async () => {
    const res = await fetch(`${promUrl}/api/v1/rules`);
    const body = (await res.json()) as {
      data: { groups: { name: string; rules: { health: string; name: string }[] }[] };
    };
    const names = body.data.groups.flatMap((g) => g.rules.map((r) => r.name));
    expect(names.length).toBe(ruleExpressions().length);
    const bad = body.data.groups.flatMap((g) => g.rules.filter((r) => r.health === 'err').map((r) => r.name));
    expect(bad).toEqual([]);
  });

  it.each(apps)('%s: /metrics passes promtool check metrics', async (app) => {
    const promtool = which('promtool');
    expect(promtool, 'promtool: run scripts/test-tools').toBeDefined();
    const text = await (await fetch(`http://127.0.0.1:${opsPorts.get(app)}/metrics`)).text();
    expect(text).toContain('friren_');
    const r = spawnSync(promtool!, ['check', 'metrics'], {
      input: withoutLintExceptions(text),
      encoding: 'utf8',
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });

  it('every app is scraped and up', async () => {
    for (const app of apps) {
      const { body } = await query(`up{job="friren-${app}"}`);
      expect(body.data?.result, app).toEqual([expect.objectContaining({ value: [expect.any(Number), '1'] })]);
    }
  });

  // The account panels need the poller and the orchestrator; the pipeline panels the recorder.
  it('the Account and Pipeline panels return series', async () => {
    // Trades were submitted before the scrapes started; give the counters a few scrapes.
    await waitUntil(
      async () => {
        const { body } = await query('sum(friren_trades_recorded_total)');
        return (body.data?.result.length ?? 0) > 0;
      },
      20_000,
      250,
    );
    await sleep(2_500);
    const empty: string[] = [];
    for (const e of dashboardExpressions()) {
      if (e.dashboard !== 'account.json' && e.dashboard !== 'pipeline.json') continue;
      if (e.panel !== undefined && MAY_BE_EMPTY[e.panel]) continue;
      const { body } = await query(e.expr);
      if ((body.data?.result.length ?? 0) === 0) empty.push(`${e.where}\n  ${e.expr}`);
    }
    expect(empty).toEqual([]);
  }, 60_000);
});
