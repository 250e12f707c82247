import { redactSecrets } from './secrets.js';

/** One named readiness check as `/readyz` reports it. */
export interface ReadinessCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

/** Every check by name; the process is ready when all are ok. */
export type ReadinessReport = Readonly<Record<string, ReadinessCheck>>;

/**
 * A probe fails by throwing (or rejecting), returning `false` or `{ ok: false, detail? }`; any
 * other result passes, so `() => redis.ping()` is a probe as it stands.
 */
export type ReadinessProbe = () => unknown;

export interface ReadinessOptions {
  /** How long one probe may take before it counts as failed; default 2000 ms. */
  readonly timeoutMs?: number;
}

/**
 * Runs named probes in parallel (e.g. `{ redis: () => redis.ping(), mysql: ... }`) and reports
 * each, so a failing dependency is named in `/readyz`. Failure details pass through
 * `redactSecrets`: a driver's error message may quote a connection string.
 */
export function readinessFromChecks(
  probes: Readonly<Record<string, ReadinessProbe>>,
  opts: ReadinessOptions = {},
): () => Promise<ReadinessReport> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  return async () => {
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, probe]) => [name, await runProbe(probe, timeoutMs)] as const),
    );
    return Object.fromEntries(entries);
  };
}

async function runProbe(probe: ReadinessProbe, timeoutMs: number): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ReadinessCheck>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  const run = (async (): Promise<ReadinessCheck> => {
    try {
      const result = await probe();
      if (result === false) return { ok: false };
      if (!isReadinessCheck(result)) return { ok: true };
      return result.detail === undefined
        ? { ok: result.ok }
        : { ok: result.ok, detail: redactSecrets(result.detail) };
    } catch (error) {
      return { ok: false, detail: redactSecrets(error instanceof Error ? error.message : String(error)) };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isReadinessCheck(value: unknown): value is ReadinessCheck {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}
