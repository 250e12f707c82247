import type { Database } from '@friren/db';
import { cachedProbe, type ReadinessCheck, withDeadline } from '@friren/observability';
import type { Redis } from 'ioredis';
import { poolQuery } from './schema-check.js';

const PROBE_TIMEOUT_MS = 1_000;

/** One `SELECT 1` on the pool, failing after a second: does the database answer right now? */
export async function pingDatabase(database: Database): Promise<void> {
  await withDeadline(poolQuery(database, 'SELECT 1'), PROBE_TIMEOUT_MS, 'SELECT 1');
}

export function databaseProbe(database: Database): () => Promise<ReadinessCheck> {
  return cachedProbe(async () => {
    await pingDatabase(database);
    return { ok: true };
  });
}

export function redisProbe(redis: Redis): () => Promise<ReadinessCheck> {
  return cachedProbe(async () => {
    await withDeadline(redis.ping(), PROBE_TIMEOUT_MS, 'PING');
    return { ok: true };
  });
}
