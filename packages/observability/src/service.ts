import type { Logger } from 'pino';
import { createLogger } from './logger.js';
import { createMetrics, type Registry } from './metrics.js';
import { type OpsServer, startOpsServer } from './ops-server.js';
import type { ReadinessReport } from './readiness.js';
import { redactSecrets, registerSecretsFromEnv } from './secrets.js';
import { installShutdown, type ShutdownStep } from './shutdown.js';

/** What every app's `start(config, deps)` returns. */
export interface Service {
  /** The checks behind `/readyz`. */
  readiness(): ReadinessReport | Promise<ReadinessReport>;
  /** Ordered close of the app's own work and connections; safe to call twice. */
  close(): Promise<void>;
}

/** What the host hands every app's `start`. */
export interface ServiceDeps {
  readonly logger: Logger;
  /** The app's metrics registry, served on its ops port. */
  readonly registry: Registry;
  /** The environment the configuration came from (app settings, `*_FILE` re-reads). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * What an app's `start(config, opts)` takes beside its config, all optional so a test or `friren up`
 * passes only what it overrides; `S` is the app's own settings (read from `env` when not given).
 */
export interface StartOptions<S = never> {
  readonly logger?: Logger;
  /** Metrics go here; a fresh registry (with process metrics) when not given. */
  readonly registry?: Registry;
  /** Where the app's own settings are read from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Overrides of the app's own settings, for tests and `friren up` (each app says what fills the rest). */
  readonly settings?: Partial<S>;
}

/** What the host needs from an app's configuration. */
export interface ServiceConfig {
  readonly opsPort: number;
  readonly opsHost: string;
  readonly logLevel: string;
}

export type StartService<C, S extends Service = Service> = (config: C, deps: ServiceDeps) => Promise<S>;

/** One started app with its ops server. */
export interface ServedService<S extends Service = Service> {
  readonly name: string;
  readonly service: S;
  readonly ops: OpsServer;
}

/**
 * Starts one app and its ops server (`/metrics`, `/healthz`, `/readyz` on `opsHost:opsPort`).
 * If the ops server cannot listen, the app is closed again before the error surfaces.
 */
export async function serveService<C extends ServiceConfig, S extends Service>(
  name: string,
  config: C,
  start: StartService<C, S>,
  deps: ServiceDeps,
): Promise<ServedService<S>> {
  const service = await start(config, deps);
  let ops: OpsServer;
  try {
    ops = await startOpsServer({
      port: config.opsPort,
      host: config.opsHost,
      registry: deps.registry,
      logger: deps.logger,
      readiness: () => service.readiness(),
    });
  } catch (error) {
    await service.close().catch((closeError: unknown) => {
      deps.logger.error({ err: closeError }, `${name}: close after a failed start failed`);
    });
    throw error;
  }
  return { name, service, ops };
}

/**
 * The shutdown of started apps, in one order for one process or many apps in one: every
 * `/readyz` fails first (load balancers stop routing), then each app closes, the newest first,
 * then the ops servers go (so `/metrics` is scraped to the end).
 */
export function serviceShutdownSteps(served: readonly ServedService[]): ShutdownStep[] {
  return [
    {
      name: 'mark not ready',
      run: () => {
        for (const s of served) s.ops.beginShutdown();
      },
    },
    ...[...served].reverse().map((s) => ({ name: `close ${s.name}`, run: () => s.service.close() })),
    {
      name: 'close ops servers',
      run: () => Promise.all(served.map((s) => s.ops.close())).then(() => {}),
    },
  ];
}

export interface RunServiceOptions {
  /** Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The whole shutdown's budget; default DEFAULT_SHUTDOWN_DEADLINE_MS. */
  readonly deadlineMs?: number;
}

/**
 * An app as a process: loads its configuration (a bad one prints one line naming each bad
 * variable and exits 1), starts it with a logger and registry, serves its ops port, and on
 * SIGTERM/SIGINT shuts down in order under one deadline. A failing start, or any error nobody
 * caught later, is logged through the redacting logger and exits 1: nothing reaches Node's own
 * printer, which would show an error's fields (a Redis AUTH command's password among them).
 */
export async function runService<C extends ServiceConfig, S extends Service>(
  name: string,
  load: (env: NodeJS.ProcessEnv) => C,
  start: StartService<C, S>,
  opts: RunServiceOptions = {},
): Promise<void> {
  const env = opts.env ?? process.env;
  registerSecretsFromEnv(env);
  let config: C;
  try {
    config = load(env);
  } catch (error) {
    process.stderr.write(`${name}: ${redactSecrets(describeLoadError(error))}\n`);
    process.exit(1);
  }

  const logger = createLogger({ name, level: config.logLevel });
  const fatal = (what: string) => (error: unknown) => {
    logger.fatal({ err: error }, `${name}: ${what}`);
    logger.flush();
    process.exit(1);
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));

  let served: ServedService<S>;
  try {
    served = await serveService(name, config, start, { logger, registry: createMetrics().registry, env });
  } catch (error) {
    logger.error({ err: error }, `${name} failed to start`);
    logger.flush();
    process.exit(1);
  }
  installShutdown({
    logger,
    steps: serviceShutdownSteps([served]),
    ...(opts.deadlineMs === undefined ? {} : { deadlineMs: opts.deadlineMs }),
  });
  const url = (served.service as { url?: unknown }).url;
  logger.info({ ops: served.ops.url, ...(typeof url === 'string' ? { url } : {}) }, `${name} started`);
}

/**
 * One line: a configuration error's issues (`VARIABLE: what is wrong`, never the value), or the
 * message of anything else that failed while loading.
 */
export function describeLoadError(error: unknown): string {
  const issues = (error as { issues?: unknown }).issues;
  if (Array.isArray(issues) && issues.length > 0 && issues.every(isIssue)) {
    return `invalid configuration: ${issues.map((i) => `${i.variable}: ${i.message}`).join('; ')}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, '; ');
}

function isIssue(value: unknown): value is { variable: string; message: string } {
  const v = value as { variable?: unknown; message?: unknown };
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof v.variable === 'string' &&
    typeof v.message === 'string'
  );
}
