import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { apiKeyHash, createAlpacaClient } from '@friren/alpaca';
import { CredentialReloader, type FrirenConfig } from '@friren/config';
import { redisKeys } from '@friren/contracts';
import {
  createLogger,
  type Logger,
  type ReadinessReport,
  Registry,
  readinessFromChecks,
  registerSecret,
  type Service,
} from '@friren/observability';
import { openRedis } from '@friren/redis';
import type { Redis } from 'ioredis';
import { AccountPoller } from './account-poller.js';
import { resolveBrokerTarget } from './broker-target.js';
import { type CredentialWatch, watchCredentials } from './credential-watch.js';
import { KeyLimiters } from './key-limiters.js';
import { PollerMetrics } from './metrics.js';
import { deriveTuning, type PollerTuning } from './settings.js';

export interface PollerOptions {
  readonly logger?: Logger;
  /** Where the poller's metrics go; a fresh registry when not given. */
  readonly registry?: Registry;
  /** Timing overrides (tests). */
  readonly tuning?: Partial<PollerTuning>;
  /** This process's instance id; host:pid:random when not given. */
  readonly instanceId?: string;
  /**
   * The environment `config` was loaded from: POLLER_* knobs are read from it and `*_FILE`
   * credentials re-read, to pick up rotated secrets. Default process.env.
   */
  readonly env?: NodeJS.ProcessEnv;
}

export interface Poller extends Service {
  readonly instanceId: string;
  /** The broker base URL in use (the in-process simulator's when one was started). */
  readonly baseUrl: string;
  readonly tuning: PollerTuning;
  /** Whether this instance currently leads `alias`. */
  isLeader(alias: string): boolean;
  /** For /readyz: Redis answers. */
  readiness(): Promise<ReadinessReport>;
  /** Stops polling, releases every lease, closes Redis (and the in-process simulator). */
  close(): Promise<void>;
}

/**
 * The poller app: for every configured account an AccountPoller competing for the account's
 * lease; one Redis connection for commands and one subscribed to the refresh channels.
 */
export async function start(config: FrirenConfig, opts: PollerOptions = {}): Promise<Poller> {
  const logger = opts.logger ?? createLogger({ name: 'poller', level: config.logLevel });
  const metrics = new PollerMetrics(opts.registry ?? new Registry());
  const env = opts.env ?? process.env;
  const tuning = deriveTuning(config, opts.tuning, env);
  const instanceId = opts.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const keys = redisKeys(config.prefix);
  const target = await resolveBrokerTarget(config, logger);

  const redis = openRedis(config.redisUrl, config.redisSentinel, { connectionName: 'friren-poller' });
  const subscriber = redis.duplicate({ connectionName: 'friren-poller-refresh' });
  for (const [name, connection] of [
    ['commands', redis],
    ['refresh', subscriber],
  ] as const) {
    connection.on('error', (error: unknown) => logger.warn({ err: error, connection: name }, 'redis error'));
  }

  const limiters = new KeyLimiters({
    redis,
    prefix: config.prefix,
    limit: config.alpaca.rateLimitPerMin,
    metrics,
  });
  const pollers = new Map<string, AccountPoller>();
  /** The key id each account uses now: a limiter no account uses any more is dropped. */
  const keyIds = new Map<string, string>();
  for (const account of config.accounts) {
    const credentials = target.credentials(account);
    registerSecret(credentials.secretKey);
    keyIds.set(account.alias, credentials.keyId);
    const poller = new AccountPoller({
      alias: account.alias,
      credentials,
      createClient: (pair, onRequest) =>
        createAlpacaClient({
          baseUrl: target.baseUrl,
          keyId: pair.keyId,
          secretKey: pair.secretKey,
          timeoutMs: tuning.requestTimeoutMs,
          limiter: limiters.for(pair.keyId),
          maxRateLimitWaitMs: tuning.maxRateLimitWaitMs,
          userAgent: 'friren-poller',
          onRequest,
        }),
      redis,
      keys,
      holder: instanceId,
      source: target.source,
      snapshot: config.snapshot,
      historyRefreshMs: config.portfolioHistoryRefreshMs,
      tuning,
      metrics,
      logger,
    });
    pollers.set(account.alias, poller);
  }

  const aliasByChannel = new Map(config.accounts.map((a) => [keys.refreshChannel(a.alias), a.alias]));
  subscriber.on('message', (channel: string) => {
    const alias = aliasByChannel.get(channel);
    if (alias !== undefined) pollers.get(alias)?.requestRefresh();
  });
  await subscriber.subscribe(...aliasByChannel.keys());

  for (const poller of pollers.values()) poller.start();

  // Rotated secret files reach the running pollers; plain variables cannot change, so without a
  // `*_FILE` credential (or in simulator mode) there is nothing to watch.
  const reloader = config.alpaca.useSimulator ? null : new CredentialReloader(env, config.accounts);
  let credentialWatch: CredentialWatch | null = null;
  if (reloader?.fileBacked) {
    credentialWatch = watchCredentials({
      reloader,
      everyMs: tuning.credentialReloadMs,
      logger,
      onChange: ({ alias, credentials }) => {
        registerSecret(credentials.secretKey);
        keyIds.set(alias, credentials.keyId);
        logger.info(
          { account: alias, key: apiKeyHash(credentials.keyId) },
          'broker credentials changed in their file; swapping them in',
        );
        pollers.get(alias)?.useCredentials(credentials);
        limiters.retain(new Set(keyIds.values()));
      },
    });
  }

  logger.info(
    {
      instanceId,
      accounts: [...pollers.keys()],
      source: target.source,
      baseUrl: target.baseUrl,
      refreshMs: config.snapshot.refreshMs,
      leaseMs: tuning.leaseMs,
      credentialReloadMs: credentialWatch ? tuning.credentialReloadMs : null,
    },
    'polling',
  );

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    // Leases first, while Redis is still there; then the connections; then the simulator.
    credentialWatch?.close();
    await Promise.allSettled([...pollers.values()].map((p) => p.close()));
    await subscriber.quit().catch(() => subscriber.disconnect());
    await redis.quit().catch(() => redis.disconnect());
    await target.close();
    logger.info({ instanceId }, 'poller stopped');
  }

  return {
    instanceId,
    baseUrl: target.baseUrl,
    tuning,
    isLeader: (alias) => pollers.get(alias)?.isLeader ?? false,
    readiness: readinessFromChecks({ redis: () => redis.ping() }),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
