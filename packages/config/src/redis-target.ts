import type { SentinelSettings } from '@friren/redis';
import type { FrirenConfig } from './types.js';

/** The `@friren/client` options that say where the queue is and what "acknowledged" means. */
export interface TradeClientTarget {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly sentinel: SentinelSettings | null;
  readonly replicas: number | 'auto';
  readonly replicaTimeoutMs: number;
}

export function tradeClientTarget(config: FrirenConfig): TradeClientTarget {
  return {
    redisUrl: config.redisUrl,
    prefix: config.prefix,
    sentinel: config.redisSentinel,
    replicas: config.submitReplicas.count ?? 'auto',
    replicaTimeoutMs: config.submitReplicas.timeoutMs,
  };
}
