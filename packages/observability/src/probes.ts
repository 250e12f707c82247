import type { ReadinessCheck } from './readiness.js';

/** Rejects with "<what> timed out after N ms" if `work` has not settled in time (work is not cancelled). */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kubernetes and load balancers probe often; one cheap query per second is plenty. */
const DEFAULT_PROBE_CACHE_MS = 1_000;

/** Memoises a probe for `ttlMs`, sharing one in-flight run between concurrent callers. */
export function cachedProbe(
  probe: () => Promise<ReadinessCheck>,
  ttlMs = DEFAULT_PROBE_CACHE_MS,
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

/** An error as one short line: its message, led by its code (e.g. `ECONNREFUSED`) when the message lacks it. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}
