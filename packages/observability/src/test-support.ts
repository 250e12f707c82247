/**
 * Helpers for tests only (not built, not part of the runtime API): any package's unit tests and the
 * cross-app suites in tests/ import them as `@friren/observability/test-support`.
 */
import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line, for tests. */
export function captureLines(): {
  destination: DestinationStream;
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` every `everyMs` until it returns a truthy value (resolved with it) or `timeoutMs` passes. */
export async function waitUntil<T>(
  probe: () => Promise<T> | T,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}
