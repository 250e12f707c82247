import { createTradeClient } from '@friren/client';
import { type FrirenConfig, tradeClientTarget } from '@friren/config';
import {
  createLogger,
  type Logger,
  type ReadinessReport,
  type Registry,
  type Service,
} from '@friren/observability';
import { type AccountManagers, createAccountManagers, type RiskLimits } from '@friren/orchestrator-core';
import { dashboardWriteFromEnv } from './admin/dashboard-env.js';
import { createQueueDashboard } from './admin/queue-dashboard.js';
import { isLoopbackHost } from './http/auth.js';
import { buildServer } from './http/server.js';
import { riskLimitsFromEnv } from './settings.js';

export interface StartOptions {
  readonly logger?: Logger;
  /** Metrics go here and are served at `/metrics` on the API port too. */
  readonly registry?: Registry;
  /** Where FRIREN_RISK_* (when `risk` is not given) and FRIREN_QUEUE_DASHBOARD_WRITE are read from; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Pre-trade limits; read from FRIREN_RISK_* when not given. */
  readonly risk?: RiskLimits;
  /** Mount the BullMQ dashboard at `/admin/queues` (default true). */
  readonly dashboard?: boolean;
}

export interface Orchestrator extends Service {
  /** Base URL of the HTTP API, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly managers: AccountManagers;
  /** For `/readyz`: ready while Redis is reachable. */
  readiness(): ReadinessReport;
  close(): Promise<void>;
}

/** Builds the HTTP service for every configured account and starts listening. */
export async function start(config: FrirenConfig, opts: StartOptions = {}): Promise<Orchestrator> {
  const logger = opts.logger ?? createLogger({ name: 'orchestrator', level: config.logLevel });
  const env = opts.env ?? process.env;
  const risk = opts.risk ?? riskLimitsFromEnv(env);
  const managers = createAccountManagers({
    redisUrl: config.redisUrl,
    sentinel: config.redisSentinel,
    prefix: config.prefix,
    aliases: config.accounts.map((a) => a.alias),
    ttlMs: config.snapshot.ttlMs,
    risk,
    logger,
    ...(opts.registry === undefined ? {} : { registry: opts.registry }),
  });
  const dashboard =
    opts.dashboard === false
      ? null
      : createQueueDashboard({
          redisUrl: config.redisUrl,
          sentinel: config.redisSentinel,
          prefix: config.prefix,
          logger,
          write: dashboardWriteFromEnv(env),
        });

  // Engines that cannot speak BullMQ submit over HTTP; one producer connection for all of them.
  const aliases = config.accounts.map((a) => a.alias);
  const tradeClient = createTradeClient({
    ...tradeClientTarget(config),
    accounts: aliases,
    connectionName: 'friren-orchestrator-trades',
  });

  const readiness = (): ReadinessReport => ({
    redis: managers.isRedisReachable() ? { ok: true } : { ok: false, detail: 'redis unreachable' },
  });

  if (config.apiToken === null && !isLoopbackHost(config.http.host)) {
    logger.warn(
      { host: config.http.host },
      'FRIREN_API_TOKEN is not set and the API is not on loopback: risk-check, refresh and admin routes answer 403',
    );
  }

  const app = await buildServer({
    managers,
    auth: { token: config.apiToken, host: config.http.host },
    logger,
    readiness,
    ...(opts.registry === undefined ? {} : { registry: opts.registry }),
    ...(dashboard === null ? {} : { admin: (scope) => dashboard.mount(scope) }),
    trades: { submitMany: (trades) => tradeClient.submitMany(trades), accounts: aliases },
  });

  try {
    await managers.start();
    await app.listen({ port: config.http.port, host: config.http.host });
  } catch (err) {
    await Promise.allSettled([app.close(), managers.close(), dashboard?.close(), tradeClient.close()]);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.http.port;
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    managers,
    readiness,
    close() {
      closing ??= (async () => {
        await app.close();
        await tradeClient.close();
        await managers.close();
        await dashboard?.close();
      })();
      return closing;
    },
  };
}
