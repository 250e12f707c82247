import type { Output } from '../context.js';

export interface Progress {
  /** Runs `fn` as one named step: `… label` while it runs, then `✓ label (123 ms)` or `✗ label: why`. */
  step<T>(label: string, fn: () => Promise<T>, done?: (result: T) => string): Promise<T>;
  /** A line of its own (a warning, a note). */
  note(text: string): void;
}

/**
 * Step-by-step progress on stderr, so stdout keeps only results. On a terminal the running line is
 * replaced in place by its outcome; elsewhere (logs, CI) each step prints one line when it ends.
 */
export function createProgress(out: Output): Progress {
  const tty = out.isTTY === true;
  return {
    async step(label, fn, done) {
      const started = performance.now();
      if (tty) out.write(`… ${label}`);
      const clear = tty ? '\r\x1b[2K' : '';
      try {
        const result = await fn();
        const ms = Math.round(performance.now() - started);
        const extra = done ? done(result) : '';
        out.write(`${clear}✓ ${label}${extra ? `: ${extra}` : ''} (${ms} ms)\n`);
        return result;
      } catch (error) {
        out.write(`${clear}✗ ${label}: ${(error as Error).message || String(error)}\n`);
        throw error;
      }
    },
    note(text) {
      out.write(`${text}\n`);
    },
  };
}
