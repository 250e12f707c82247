import type { PollerStatus, ReadLayer, SessionStats } from './types.js';

/**
 * Reads per answering layer and background loads for one account: plain fields bumped on the hot
 * path (no map lookup, no allocation); metrics and statistics read them when asked.
 */
export class ReadStats {
  memory = 0;
  redis = 0;
  lastGood = 0;
  miss = 0;
  backgroundLoads = 0;

  count(layer: ReadLayer): number {
    switch (layer) {
      case 'memory':
        return this.memory;
      case 'redis':
        return this.redis;
      case 'last-good':
        return this.lastGood;
      case 'miss':
        return this.miss;
    }
  }

  /** The session statistics: the poller's broker counters beside this process's reads. */
  session(account: string, poller: PollerStatus | null): SessionStats {
    const reads = { memory: this.memory, redis: this.redis, 'last-good': this.lastGood, miss: this.miss };
    const total = reads.memory + reads.redis + reads['last-good'] + reads.miss;
    const served = total - reads.miss;
    return {
      account,
      broker_calls_total: poller?.broker_calls_total ?? null,
      rate_limited_total: poller?.rate_limited_total ?? null,
      reads,
      reads_total: total,
      hit_ratio: total === 0 ? null : served / total,
      memory_hit_ratio: total === 0 ? null : reads.memory / total,
      calls_saved: served,
      background_loads: this.backgroundLoads,
    };
  }
}
