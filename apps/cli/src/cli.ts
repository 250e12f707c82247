import { health } from './commands/health.js';
import { HELP } from './commands/help.js';
import { migrate } from './commands/migrate.js';
import { replayRejectedCommand } from './commands/replay-rejected.js';
import { report } from './commands/report.js';
import { snapshot } from './commands/snapshot.js';
import { submit } from './commands/submit.js';
import { up } from './commands/up.js';
import { type CliContext, println } from './context.js';
import { CliFailure, EXIT, UsageError } from './errors.js';

type Command = (args: readonly string[], ctx: CliContext) => Promise<number>;

export const COMMANDS: Readonly<Record<string, Command>> = {
  up,
  migrate,
  submit,
  snapshot,
  report,
  health,
  'replay-rejected': replayRejectedCommand,
};

/** Runs one command line; returns the exit code (0 ok, 1 failure, 2 usage error). */
export async function run(argv: readonly string[], ctx: CliContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    println(name === undefined ? ctx.stderr : ctx.stdout, HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    println(ctx.stderr, `friren: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command(args, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      println(ctx.stderr, `friren ${name}: ${error.message}\n(see friren ${name} --help)`);
      return EXIT.usage;
    }
    if (error instanceof CliFailure) {
      println(ctx.stderr, `friren ${name}: ${error.message}`);
      return EXIT.failure;
    }
    println(ctx.stderr, `friren ${name} failed: ${(error as Error).stack ?? String(error)}`);
    return EXIT.failure;
  }
}
