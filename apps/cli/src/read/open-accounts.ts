import type { FrirenConfig } from '@friren/config';
import { type AccountManagers, createAccountManagers } from '@friren/orchestrator-core';
import { openRedis } from '@friren/redis';
import type { Redis } from 'ioredis';

export interface OpenAccounts {
  readonly managers: AccountManagers;
  /** The command connection the managers share, for the few keys they do not serve (positions). */
  readonly redis: Redis;
}

/** How long a one-shot command waits for Redis before answering with what it has. */
const START_TIMEOUT_MS = 3_000;

/**
 * Reads go through the orchestrator's AccountManager, as strategy engines' reads do: the same
 * decoding, freshness labels and health rules. A command opens the managers, reads, and closes.
 */
export async function withAccounts<T>(
  config: FrirenConfig,
  aliases: readonly string[],
  fn: (open: OpenAccounts) => Promise<T>,
): Promise<T> {
  const redis = openRedis(config.redisUrl, config.redisSentinel, {
    lazyConnect: true,
    connectionName: 'friren-cli',
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
    // A one-shot command gives up instead of reconnecting forever.
    retryStrategy: (times) => (times > 3 ? null : 200),
  });
  redis.on('error', () => {});
  const managers = createAccountManagers({
    redis,
    prefix: config.prefix,
    aliases,
    ttlMs: config.snapshot.ttlMs,
    startTimeoutMs: START_TIMEOUT_MS,
  });
  try {
    await managers.start();
    return await fn({ managers, redis });
  } finally {
    await managers.close();
    redis.disconnect();
  }
}
