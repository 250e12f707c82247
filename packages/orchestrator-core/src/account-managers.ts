import { accountAliasSchema, redisKeys } from '@friren/contracts';
import type { Registry } from 'prom-client';
import { AccountManager, type ManagerSettings } from './account-manager.js';
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './freshness.js';
import { type LoggerLike, silentLogger } from './logger.js';
import { attachMetrics } from './metrics.js';
import { type RedisConnectionOptions, RedisLink } from './redis-link.js';
import { parseRiskLimits, type RiskLimits } from './risk.js';

export interface AccountManagerCommonOptions extends RedisConnectionOptions {
  /** FRIREN_PREFIX. */
  readonly prefix: string;
  /** SNAPSHOT_TTL_MS: past this age (from `fetched_at`) a snapshot is stale. */
  readonly ttlMs: number;
  /**
   * How far ahead of this process's clock a snapshot's `fetched_at` may be before it is labelled
   * skewed (not fresh, replaced by any later write). Default 2000 ms.
   */
  readonly maxClockSkewMs?: number;
  /** Where the metrics go; none when absent (never the global registry). */
  readonly registry?: Registry;
  readonly risk?: RiskLimits;
  /** Clock (epoch ms); tests may pass their own. */
  readonly now?: () => number;
  /** Consecutive poller failures that turn an account unhealthy (default 3). */
  readonly pollerFailureLimit?: number;
  /** How long health and statistics reuse one read of the poller status hash (default 1000 ms). */
  readonly statusMaxAgeMs?: number;
  /** How long `start()` waits for Redis before going on with memory only (default 5000 ms). */
  readonly startTimeoutMs?: number;
  readonly logger?: LoggerLike;
}

export interface AccountManagersOptions extends AccountManagerCommonOptions {
  readonly aliases: readonly string[];
}

export interface AccountManagerOptions extends AccountManagerCommonOptions {
  readonly alias: string;
}

/**
 * The managers of every account a process serves, sharing one command connection and one
 * subscriber connection (one SUBSCRIBE naming every account's channel).
 */
export interface AccountManagers extends Iterable<AccountManager> {
  readonly aliases: readonly string[];
  /** Undefined for an alias this group does not serve. */
  get(alias: string): AccountManager | undefined;
  /** Connects, subscribes and loads every account; resolves even when Redis is down (then later). */
  start(): Promise<void>;
  /** Whether both connections are up. */
  isRedisReachable(): boolean;
  close(): Promise<void>;
}

export function createAccountManagers(options: AccountManagersOptions): AccountManagers {
  const aliases = [...new Set(options.aliases)];
  for (const alias of aliases) {
    const r = accountAliasSchema.safeParse(alias);
    if (!r.success)
      throw new RangeError(`account alias ${JSON.stringify(alias)}: must be 1-32 of [a-z0-9_-]`);
  }
  if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!(maxClockSkewMs >= 0)) throw new RangeError('maxClockSkewMs must be zero or positive');
  const logger = options.logger ?? silentLogger;
  const settings: ManagerSettings = {
    keys: redisKeys(options.prefix),
    ttlMs: options.ttlMs,
    maxClockSkewMs,
    limits: parseRiskLimits(options.risk),
    now: options.now ?? Date.now,
    pollerFailureLimit: options.pollerFailureLimit ?? 3,
    statusMaxAgeMs: options.statusMaxAgeMs ?? 1_000,
    logger,
  };
  const link = new RedisLink(options, logger);
  const managers = new Map<string, AccountManager>();
  const detachers: (() => void)[] = [];
  for (const alias of aliases) {
    const manager = new AccountManager(alias, link, settings);
    managers.set(alias, manager);
    if (options.registry !== undefined) {
      detachers.push(
        attachMetrics(options.registry, {
          alias,
          readCount: (layer) => manager.readCount(layer),
          snapshotAgeSeconds: () => manager.snapshotAgeSeconds(),
          isHealthy: async () => (await manager.isAccountHealthy()).healthy,
        }),
      );
    }
  }

  let started: Promise<void> | null = null;
  let closed = false;
  const reloadAll = () => Promise.all([...managers.values()].map((m) => m.reload()));

  return {
    aliases,
    get: (alias) => managers.get(alias),
    isRedisReachable: () => link.isReachable(),
    [Symbol.iterator]: () => managers.values(),
    start() {
      started ??= (async () => {
        for (const [alias, manager] of managers) {
          await link.listen(settings.keys.updatedChannel(alias), (message) => manager.handleUpdate(message));
        }
        // Every (re)connection re-reads what pub/sub may have missed meanwhile.
        link.onResync(() => {
          void reloadAll();
        });
        const up = await link.start(options.startTimeoutMs ?? 5_000);
        if (!up) logger.warn({}, 'redis not reachable at start; serving nothing until it is');
        await reloadAll();
      })();
      return started;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const d of detachers) d();
      for (const m of managers.values()) m.markClosed();
      await link.close();
    },
  };
}

/** One account on its own connections; its `start()`/`close()` connect and disconnect them. */
export function createAccountManager(options: AccountManagerOptions): AccountManager {
  const { alias, ...rest } = options;
  const group = createAccountManagers({ ...rest, aliases: [alias] });
  const manager = group.get(alias)!;
  manager.bindLifecycle({ start: () => group.start(), close: () => group.close() });
  return manager;
}
