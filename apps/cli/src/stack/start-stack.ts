import { type AnalyticsSettings, start as startAnalytics } from '@friren/analytics';
import { createTradeClient } from '@friren/client';
import type { FrirenConfig } from '@friren/config';
import { describeMysqlUrl, migrateDatabase } from '@friren/db';
import {
  createMetrics,
  DEFAULT_SHUTDOWN_DEADLINE_MS,
  type Logger,
  type OpsServer,
  type ReadinessReport,
  type Registry,
  readinessFromChecks,
  runShutdownSteps,
  type ShutdownResult,
  type ShutdownStep,
  startOpsServer,
} from '@friren/observability';
import { start as startOrchestrator } from '@friren/orchestrator';
import { start as startPoller } from '@friren/poller';
import { type RecorderSettings, start as startRecorder } from '@friren/trade-recorder';
import { DemoEngine, type DemoOptions } from '../demo/engine.js';
import { mysqlDemoLedger } from '../demo/ledger.js';
import { SimBroker } from '../demo/sim-broker.js';
import type { Progress } from '../format/progress.js';
import { type AppName, opsPorts } from './ops-ports.js';
import { type BrokerSetup, setUpBroker } from './simulator.js';

export interface StackOptions {
  readonly logger: Logger;
  /** Where OPS_PORT is read from (see opsPorts); default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Step-by-step startup output; silent when not given. */
  readonly progress?: Progress;
  /** Run the demo strategy engine (simulator only). */
  readonly demo?: DemoOptions | null;
  /** Port of the in-process simulator; 0 (default) picks a free one. */
  readonly simPort?: number;
  /** Apply migrations first (default true). */
  readonly migrate?: boolean;
  /** Overrides of the apps' own settings (otherwise read from RECORDER_* / ANALYTICS_*). */
  readonly recorder?: Partial<RecorderSettings>;
  readonly analytics?: Partial<AnalyticsSettings>;
}

export interface StackUrls {
  /** Base URL of the orchestrator API. */
  readonly api: string;
  /** `GET /v1/accounts/:alias` for every configured account. */
  readonly accounts: readonly string[];
  /** Each app's ops server (`/metrics`, `/healthz`, `/readyz`). */
  readonly ops: Readonly<Record<AppName, string>>;
  /** The simulator's base URL in simulator mode, else null. */
  readonly simulator: string | null;
}

export interface Stack {
  readonly urls: StackUrls;
  /** Which broker the apps talk to, and the in-process simulator if there is one. */
  readonly broker: BrokerSetup;
  /** The demo engine, when `demo` was asked for. */
  readonly demo: DemoEngine | null;
  /** Shuts everything down in reverse order under one deadline; safe to call twice. */
  close(deadlineMs?: number): Promise<ShutdownResult>;
}

const silent: Progress = { step: (_label, fn) => fn(), note: () => {} };

/**
 * `friren up`: every app of the cluster in this process, each from its own `start(config)` —
 * migrations, the broker (an in-process simulator when no keys are set), then the apps from the
 * read side to the write side so each finds its consumers already listening: orchestrator
 * (subscribes before anything publishes), analytics, trade-recorder, poller, and last the demo
 * engine. If a part fails to start, what already started is shut down before the error surfaces.
 */
export async function startStack(config: FrirenConfig, opts: StackOptions): Promise<Stack> {
  const { logger } = opts;
  const progress = opts.progress ?? silent;
  const ports = opsPorts(opts.env ?? process.env, config.opsPort);
  // Started parts push their shutdown steps here; on failure or close they run newest first.
  const started: ShutdownStep[] = [];
  let demoStop: ShutdownStep | null = null;
  const opsServers: OpsServer[] = [];
  let closing: Promise<ShutdownResult> | undefined;

  const close = (deadlineMs = DEFAULT_SHUTDOWN_DEADLINE_MS) => {
    closing ??= runShutdownSteps(shutdownSteps(started, opsServers, demoStop), deadlineMs, logger);
    return closing;
  };

  try {
    if (opts.migrate ?? true) {
      const target = describeMysqlUrl(config.mysqlUrl);
      await progress.step(
        `migrate database ${target.database} on ${target.host}:${target.port}`,
        () => migrateDatabase(config.mysqlUrl),
        (r) =>
          `${r.created ? 'created the database, ' : ''}${
            r.applied.length === 0 ? 'up to date' : `applied ${r.applied.length} migration(s)`
          }`,
      );
    }

    const broker = await progress.step(
      'broker',
      () => setUpBroker(config, { logger, simPort: opts.simPort ?? 0, demo: opts.demo ?? null }),
      (b) => `${b.mode} at ${b.baseUrl}`,
    );
    if (broker.close) started.push({ name: 'simulator', run: broker.close });
    const appConfig = (app: AppName): FrirenConfig => ({ ...broker.config, opsPort: ports[app] });
    const child = (app: AppName) => logger.child({ app });

    async function serveOps(
      app: AppName,
      readiness: () => ReadinessReport | Promise<ReadinessReport>,
      registry: Registry,
    ): Promise<string> {
      const ops = await startOpsServer({ port: ports[app], registry, logger: child(app), readiness });
      opsServers.push(ops);
      return ops.url;
    }

    const orchestrator = await progress.step(
      'orchestrator',
      async () => {
        const { registry } = createMetrics();
        const o = await startOrchestrator(appConfig('orchestrator'), {
          logger: child('orchestrator'),
          registry,
        });
        started.push({ name: 'orchestrator', run: () => o.close() });
        return { o, opsUrl: await serveOps('orchestrator', () => o.readiness(), registry) };
      },
      (r) => r.o.url,
    );

    const analyticsOps = await progress.step('analytics', async () => {
      const { registry } = createMetrics();
      const a = await startAnalytics(appConfig('analytics'), {
        logger: child('analytics'),
        registry,
        ...(opts.analytics ? { settings: opts.analytics } : {}),
      });
      started.push({ name: 'analytics', run: () => a.close() });
      return serveOps('analytics', () => a.readiness(), registry);
    });

    const recorderOps = await progress.step('trade-recorder', async () => {
      // The recorder serves its own ops server (on its opsPort) and closes it in its own order.
      const r = await startRecorder(appConfig('trade-recorder'), {
        logger: child('trade-recorder'),
        ...(opts.recorder ? { settings: opts.recorder } : {}),
      });
      started.push({ name: 'trade-recorder', run: () => r.close() });
      return r.opsUrl ?? '';
    });

    const pollerOps = await progress.step('poller', async () => {
      const { registry } = createMetrics();
      const p = await startPoller(appConfig('poller'), {
        logger: child('poller'),
        registry,
        // The environment the config came from: its `*_FILE` credentials are re-read from it.
        env: opts.env ?? process.env,
      });
      started.push({ name: 'poller (releases its leases)', run: () => p.close() });
      return serveOps('poller', readinessFromChecks({ redis: () => p.ping() }), registry);
    });

    let demo: DemoEngine | null = null;
    if (opts.demo) {
      const demoOptions = opts.demo;
      demo = await progress.step(
        'demo strategy engine',
        async () => {
          const client = createTradeClient({
            redisUrl: config.redisUrl,
            prefix: config.prefix,
            accounts: config.accounts.map((a) => a.alias),
            connectionName: 'friren-demo',
            timeoutMs: 2_000,
          });
          started.push({ name: 'demo trade client', run: () => client.close() });
          const engine = new DemoEngine({
            broker: new SimBroker({ baseUrl: broker.baseUrl, ...broker.credentials }),
            client,
            account: config.accounts[0]!.alias,
            logger: logger.child({ app: 'demo' }),
            options: demoOptions,
            ledger: mysqlDemoLedger(config.mysqlUrl),
          });
          demoStop = { name: 'stop demo trading', run: () => engine.stop() };
          await engine.start();
          return engine;
        },
        () => `${demoOptions.ratePerSec} fills/s on ${config.accounts[0]!.alias}`,
      );
    }

    return {
      urls: {
        api: orchestrator.o.url,
        accounts: config.accounts.map((a) => `${orchestrator.o.url}/v1/accounts/${a.alias}`),
        ops: {
          poller: pollerOps,
          'trade-recorder': recorderOps,
          analytics: analyticsOps,
          orchestrator: orchestrator.opsUrl,
        },
        simulator: broker.mode === 'alpaca' ? null : broker.baseUrl,
      },
      broker,
      demo,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Shutdown order, so nothing is lost: stop producing (the demo), fail every `/readyz`, stop the
 * parts newest first (poller, recorder — which drains its batch —, analytics, orchestrator,
 * simulator), then close the ops servers.
 */
function shutdownSteps(
  started: readonly ShutdownStep[],
  opsServers: readonly OpsServer[],
  demoStop: ShutdownStep | null,
): ShutdownStep[] {
  return [
    ...(demoStop ? [demoStop] : []),
    {
      name: 'mark not ready',
      run: () => {
        for (const o of opsServers) o.beginShutdown();
      },
    },
    ...[...started].reverse(),
    { name: 'close ops servers', run: () => Promise.all(opsServers.map((o) => o.close())).then(() => {}) },
  ];
}
