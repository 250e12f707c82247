import type { RedisKeys } from '@friren/contracts';
import type { Redis } from 'ioredis';
import { STATUS } from './status-fields.js';

/** Broker calls made since the status hash was last written; flushed with the next write. */
export interface CallCounters {
  brokerCalls: number;
  rateLimited: number;
}

export function counterIncrements(c: CallCounters): [string, number][] {
  const out: [string, number][] = [];
  if (c.brokerCalls > 0) out.push([STATUS.brokerCallsTotal, c.brokerCalls]);
  if (c.rateLimited > 0) out.push([STATUS.rateLimitedTotal, c.rateLimited]);
  return out;
}

/** What a new leader needs to continue where the previous one stopped. */
export interface LeaderResume {
  readonly lastAttemptAt: number | null;
  readonly historyFetchedAt: number | null;
  readonly consecutiveFailures: number;
}

/** The leader's writes to `P:account:A:poller` outside a snapshot transaction. */
export class StatusWriter {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    alias: string,
  ) {
    this.key = keys.poller(alias);
  }

  async claimLeadership(holder: string, now: number): Promise<LeaderResume> {
    const [, values] = await Promise.all([
      this.redis.hset(this.key, STATUS.leader, holder, STATUS.leaderSince, String(now)),
      this.redis.hmget(this.key, STATUS.lastAttemptAt, STATUS.historyFetchedAt, STATUS.consecutiveFailures),
    ]);
    const [lastAttemptAt, historyFetchedAt, failures] = values;
    return {
      lastAttemptAt: toInt(lastAttemptAt),
      historyFetchedAt: toInt(historyFetchedAt),
      consecutiveFailures: toInt(failures) ?? 0,
    };
  }

  async set(fields: Readonly<Record<string, string>>, counters?: CallCounters): Promise<void> {
    const tx = this.redis.multi();
    if (Object.keys(fields).length > 0) tx.hset(this.key, fields);
    for (const [field, by] of counterIncrements(counters ?? { brokerCalls: 0, rateLimited: 0 })) {
      tx.hincrby(this.key, field, by);
    }
    if (tx.length === 0) return;
    const results = await tx.exec();
    for (const [error] of results ?? []) if (error) throw error;
  }
}

function toInt(v: string | null | undefined): number | null {
  if (v == null || !/^\d+$/.test(v)) return null;
  return Number(v);
}
