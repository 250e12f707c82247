import { randomUUID } from 'node:crypto';
import { type FrirenConfig, loadConfig } from '@friren/config';
import { createLogger, type Registry } from '@friren/observability';
import { type Poller, type PollerTuning, start } from '@friren/poller';
import { Redis } from 'ioredis';
import { waitUntil } from '../support/wait.js';

export { deletePrefix } from '../support/shared-servers.js';
export { sleep } from '../support/wait.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function testPrefix(area: string): string {
  return `test-${area}-${randomUUID().slice(0, 8)}`;
}

/** The environment of a poller against a test simulator; without `env` credentials, simulator keys. */
export function pollerEnv(
  prefix: string,
  simUrl: string,
  env: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    REDIS_URL,
    FRIREN_PREFIX: prefix,
    ALPACA_BASE_URL: simUrl,
    OPS_PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  };
}

/** A poller configuration against a test simulator, without broker credentials (simulator keys). */
export function pollerConfig(prefix: string, simUrl: string, env: Record<string, string> = {}): FrirenConfig {
  return loadConfig(pollerEnv(prefix, simUrl, env), { opsPort: 0 });
}

const quiet = createLogger({ name: 'poller-test', level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });

/**
 * `n` pollers in this process, each with its own Redis connections and instance id (as `n` replicas).
 * `env` is the environment `config` was loaded from (for `*_FILE` credential reloads).
 */
export async function startPollers(
  n: number,
  config: FrirenConfig,
  tuning: Partial<PollerTuning> = {},
  registries: readonly Registry[] = [],
  env?: NodeJS.ProcessEnv,
): Promise<Poller[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const registry = registries[i];
      return start(config, {
        logger: quiet,
        tuning,
        ...(registry ? { registry } : {}),
        ...(env ? { env } : {}),
      });
    }),
  );
}

export async function closeAll(pollers: readonly Poller[]): Promise<void> {
  await Promise.all(pollers.map((p) => p.close()));
}

/** The largest number of `times` (ms) falling in any half-open window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi += 1) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export function newRedis(): Redis {
  return new Redis(REDIS_URL);
}

/** `waitUntil` for probes that return a value or nothing: resolves to the value, typed non-null. */
export async function waitForValue<T>(
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 10_000,
): Promise<T> {
  return (await waitUntil(probe, timeoutMs)) as T;
}
