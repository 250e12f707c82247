/**
 * What a command needs from its surroundings, so tests can run commands in-process with their own
 * environment and capture what they print.
 */
export interface Output {
  write(text: string): unknown;
  /** Whether this is a terminal (progress lines redraw in place, tables may use colour). */
  readonly isTTY?: boolean;
}

export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  /** Results: tables, ids, URLs. */
  readonly stdout: Output;
  /** Progress, warnings and errors. */
  readonly stderr: Output;
  /**
   * Resolves when the user asks a long-running command (`up`) to stop; the default listens for
   * SIGINT/SIGTERM. Tests pass their own.
   */
  readonly stopSignal?: Promise<string>;
}

export function processContext(): CliContext {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr };
}

export function println(out: Output, text = ''): void {
  out.write(`${text}\n`);
}
