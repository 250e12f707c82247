import { openRedis, type SentinelSettings } from '@friren/redis';
import type { Redis } from 'ioredis';

/**
 * A producer's Redis connection fails fast instead of queueing forever: a command waits for at
 * most one reconnection attempt, and connecting gives up after 2 s per try. A strategy engine
 * learns within seconds that a fill was not queued and can act (retry later, alert), which a
 * BullMQ worker connection — retrying forever by design — would never tell it.
 */
export function createProducerConnection(
  redisUrl: string,
  connectionName = 'friren-trade-client',
  sentinel: SentinelSettings | null = null,
): Redis {
  return openRedis(redisUrl, sentinel, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (times) => Math.min(times * 100, 1_000),
    connectionName,
  });
}
