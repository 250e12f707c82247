/**
 * For tests only (not built): the CLI's unit tests and the cross-app suites in tests/ import it as
 * `@friren/cli/test-support`.
 */
import type { CliContext } from './context.js';

/** A CLI context with the given environment that records what a command prints. */
export function cliContext(env: NodeJS.ProcessEnv = {}): CliContext & { out(): string; err(): string } {
  let out = '';
  let err = '';
  return {
    env,
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    out: () => out,
    err: () => err,
  };
}
