import { type AnalyticsSettings, loadAnalyticsConfig, start as startAnalytics } from '@friren/analytics';
import { createTradeClient } from '@friren/client';
import { type FrirenConfig, gatherConfig, tradeClientTarget } from '@friren/config';
import { describeMysqlUrl, migrateDatabase } from '@friren/db';
import {
  createMetrics,
  DEFAULT_SHUTDOWN_DEADLINE_MS,
  type Logger,
  runShutdownSteps,
  type ServedService,
  type Service,
  type ShutdownResult,
  type ShutdownStep,
  type StartService,
  serveService,
  serviceShutdownSteps,
} from '@friren/observability';
import { loadOrchestratorConfig, start as startOrchestrator } from '@friren/orchestrator';
import { loadPollerConfig, start as startPoller } from '@friren/poller';
import { loadRecorderConfig, type RecorderSettings, start as startRecorder } from '@friren/trade-recorder';
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
  const env = opts.env ?? process.env;
  const progress = opts.progress ?? silent;
  const ports = opsPorts(env, config.opsPort);
  // Every app's own settings are checked before anything starts, all bad variables in one error.
  gatherConfig(
    () => loadPollerConfig(env),
    () => loadRecorderConfig(env),
    () => loadAnalyticsConfig(env),
    () => loadOrchestratorConfig(env),
  );
  // What started, in order; on failure or close it is stopped in reverse (see shutdownSteps).
  let simulator: ShutdownStep | null = null;
  const apps: ServedService[] = [];
  const demoSteps: ShutdownStep[] = [];
  let closing: Promise<ShutdownResult> | undefined;

  const close = (deadlineMs = DEFAULT_SHUTDOWN_DEADLINE_MS) => {
    closing ??= runShutdownSteps(shutdownSteps(demoSteps, apps, simulator), deadlineMs, logger);
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
    if (broker.close) simulator = { name: 'simulator', run: broker.close };

    /** One app as its own process would run it (see runService), with its ops server. */
    async function serve<S extends Service>(app: AppName, start: StartService<FrirenConfig, S>) {
      const served = await serveService(app, { ...broker.config, opsPort: ports[app] }, start, {
        logger: logger.child({ app }),
        registry: createMetrics().registry,
        env,
      });
      apps.push(served);
      return served;
    }

    const orchestrator = await progress.step(
      'orchestrator',
      () => serve('orchestrator', startOrchestrator),
      (r) => r.service.url,
    );
    const analytics = await progress.step('analytics', () =>
      serve('analytics', (c, deps) =>
        startAnalytics(c, { ...deps, ...(opts.analytics ? { settings: opts.analytics } : {}) }),
      ),
    );
    const recorder = await progress.step('trade-recorder', () =>
      serve('trade-recorder', (c, deps) =>
        startRecorder(c, { ...deps, ...(opts.recorder ? { settings: opts.recorder } : {}) }),
      ),
    );
    const poller = await progress.step('poller', () => serve('poller', startPoller));

    let demo: DemoEngine | null = null;
    if (opts.demo) {
      const demoOptions = opts.demo;
      demo = await progress.step(
        'demo strategy engine',
        async () => {
          const client = createTradeClient({
            ...tradeClientTarget(config),
            accounts: config.accounts.map((a) => a.alias),
            connectionName: 'friren-demo',
            timeoutMs: 2_000,
          });
          demoSteps.unshift({ name: 'demo trade client', run: () => client.close() });
          const engine = new DemoEngine({
            broker: new SimBroker({ baseUrl: broker.baseUrl, ...broker.credentials }),
            client,
            account: config.accounts[0]!.alias,
            logger: logger.child({ app: 'demo' }),
            options: demoOptions,
            ledger: mysqlDemoLedger(config.mysqlUrl),
          });
          demoSteps.unshift({ name: 'stop demo trading', run: () => engine.stop() });
          await engine.start();
          return engine;
        },
        () => `${demoOptions.ratePerSec} fills/s on ${config.accounts[0]!.alias}`,
      );
    }

    return {
      urls: {
        api: orchestrator.service.url,
        accounts: config.accounts.map((a) => `${orchestrator.service.url}/v1/accounts/${a.alias}`),
        ops: {
          poller: poller.ops.url,
          'trade-recorder': recorder.ops.url,
          analytics: analytics.ops.url,
          orchestrator: orchestrator.ops.url,
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
 * Stop producing first (the demo engine, then its trade client), then the apps as one process
 * stops one app (every /readyz fails, the apps close newest first: poller, recorder — which
 * drains its batch —, analytics, orchestrator; then the ops servers), and last the simulator.
 */
function shutdownSteps(
  demo: readonly ShutdownStep[],
  apps: readonly ServedService[],
  simulator: ShutdownStep | null,
): ShutdownStep[] {
  return [...demo, ...serviceShutdownSteps(apps), ...(simulator ? [simulator] : [])];
}
