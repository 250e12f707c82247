import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createAlpacaClient, RedisRateLimiter } from '@friren/alpaca';
import type { FrirenConfig } from '@friren/config';
import { redisKeys } from '@friren/contracts';
import { createLogger, type Logger, Registry, registerSecret } from '@friren/observability';
import { Redis } from 'ioredis';
import { AccountPoller } from './account-poller.js';
import { resolveBrokerTarget } from './broker-target.js';
import { PollerMetrics } from './metrics.js';
import { deriveTuning, type PollerTuning } from './tuning.js';

export interface PollerOptions {
  readonly logger?: Logger;
  /** Where the poller's metrics go; a fresh registry when not given. */
  readonly registry?: Registry;
  /** Timing overrides (tests). */
  readonly tuning?: Partial<PollerTuning>;
  /** This process's instance id; host:pid:random when not given. */
  readonly instanceId?: string;
}

export interface Poller {
  readonly instanceId: string;
  /** The broker base URL in use (the in-process simulator's when one was started). */
  readonly baseUrl: string;
  readonly tuning: PollerTuning;
  /** Whether this instance currently leads `alias`. */
  isLeader(alias: string): boolean;
  /** Readiness probe: Redis answers. */
  ping(): Promise<unknown>;
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
  const tuning = deriveTuning(config, opts.tuning);
  const instanceId = opts.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const keys = redisKeys(config.prefix);
  const target = await resolveBrokerTarget(config, logger);

  const redis = new Redis(config.redisUrl, { connectionName: 'friren-poller' });
  const subscriber = redis.duplicate({ connectionName: 'friren-poller-refresh' });
  for (const [name, connection] of [
    ['commands', redis],
    ['refresh', subscriber],
  ] as const) {
    connection.on('error', (error: unknown) => logger.warn({ err: error, connection: name }, 'redis error'));
  }

  // One limiter per API key: accounts sharing a key share its quota.
  const limiters = new Map<string, RedisRateLimiter>();
  const pollers = new Map<string, AccountPoller>();
  for (const account of config.accounts) {
    const credentials = target.credentials(account);
    registerSecret(credentials.secretKey);
    let limiter = limiters.get(credentials.keyId);
    if (limiter === undefined) {
      limiter = new RedisRateLimiter({
        redis,
        prefix: config.prefix,
        keyId: credentials.keyId,
        limit: config.alpaca.rateLimitPerMin,
      });
      limiters.set(credentials.keyId, limiter);
      metrics.trackLimiter(limiter);
    }
    const sharedLimiter = limiter;
    const poller = new AccountPoller({
      alias: account.alias,
      createClient: (onRequest) =>
        createAlpacaClient({
          baseUrl: target.baseUrl,
          keyId: credentials.keyId,
          secretKey: credentials.secretKey,
          timeoutMs: tuning.requestTimeoutMs,
          limiter: sharedLimiter,
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
  logger.info(
    {
      instanceId,
      accounts: [...pollers.keys()],
      source: target.source,
      baseUrl: target.baseUrl,
      refreshMs: config.snapshot.refreshMs,
      leaseMs: tuning.leaseMs,
    },
    'poller started',
  );

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    // Leases first, while Redis is still there; then the connections; then the simulator.
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
    ping: () => redis.ping(),
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
