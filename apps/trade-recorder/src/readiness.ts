import type { Database } from '@friren/db';
import type { ReadinessCheck } from '@friren/observability';
import type { Redis } from 'ioredis';
import { withDeadline } from './deadline.js';
import { poolQuery } from './schema-check.js';

const PROBE_TIMEOUT_MS = 1_000;
/** Kubernetes and load balancers probe often; one cheap query per second is plenty. */
const CACHE_MS = 1_000;

/** Memoises a probe for `ttlMs`, sharing one in-flight run between concurrent callers. */
export function cachedProbe(
  probe: () => Promise<ReadinessCheck>,
  ttlMs = CACHE_MS,
): () => Promise<ReadinessCheck> {
  let last: { at: number; check: ReadinessCheck } | undefined;
  let running: Promise<ReadinessCheck> | undefined;
  return async () => {
    if (last && performance.now() - last.at < ttlMs) return last.check;
    running ??= probe()
      .catch((error: unknown): ReadinessCheck => ({ ok: false, detail: errorText(error) }))
      .then((check) => {
        last = { at: performance.now(), check };
        return check;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
}

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

export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
