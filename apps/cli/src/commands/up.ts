import { createLogger } from '@friren/observability';
import { DASHBOARD_PATH } from '@friren/orchestrator';
import { z } from 'zod';
import { parseFlags, parseWith } from '../args.js';
import { cliConfig } from '../config.js';
import { type CliContext, type Output, println } from '../context.js';
import { DEMO_STRATEGIES } from '../demo/strategies.js';
import { EXIT, UsageError } from '../errors.js';
import { createProgress } from '../format/progress.js';
import { renderPairs } from '../format/table.js';
import { SIMULATOR_WARNING } from '../stack/simulator.js';
import { type Stack, startStack } from '../stack/start-stack.js';

export const UP_USAGE = `usage: friren up [--demo] [--demo-rate N] [--sim-port PORT]
  Runs the whole cluster in this process: migrations, the Alpaca simulator when no broker keys are
  set, then orchestrator, analytics, trade-recorder and poller. Ctrl-C stops everything cleanly.
  --demo          also run a strategy engine that trades on the simulator and submits its fills
  --demo-rate N   fills per second for --demo (default 3, at most 100)
  --sim-port P    port of the in-process simulator (default: a free one)
  Configured by the environment (docs/CONTRACT.md §1); OPS_PORT=N puts the four ops servers on N…N+3.`;

const flagsSchema = z.object({
  demo: z.boolean().default(false),
  'demo-rate': z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: 'must be a number of fills per second' })
    .transform(Number)
    .refine((n) => n > 0 && n <= 100, { message: 'must be in (0, 100]' })
    .default(3),
  'sim-port': z
    .string()
    .regex(/^\d+$/, { message: 'must be a port number' })
    .transform(Number)
    .refine((n) => n <= 65_535, { message: 'must be a port number, 0 to 65535' })
    .default(0),
});

export async function up(args: readonly string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    demo: { type: 'boolean' },
    'demo-rate': { type: 'string' },
    'sim-port': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    println(ctx.stdout, UP_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const flags = parseWith(flagsSchema, values);
  if (values['demo-rate'] !== undefined && !flags.demo) throw new UsageError('--demo-rate needs --demo');
  const config = cliConfig(ctx.env);
  if (flags.demo && !config.alpaca.useSimulator) {
    throw new UsageError(
      '--demo places orders, so it runs only against the simulator: unset the broker keys',
    );
  }

  const logger = createLogger({ name: 'friren', level: config.logLevel });
  const progress = createProgress(ctx.stderr);
  if (config.alpaca.useSimulator) progress.note(`\n${SIMULATOR_WARNING}\n`);
  // Asked for early, so a Ctrl-C during startup is not lost: startup finishes, then shuts down.
  const stopRequested = ctx.stopSignal ?? signalPromise();

  let stack: Stack;
  try {
    stack = await startStack(config, {
      logger,
      env: ctx.env,
      progress,
      demo: flags.demo ? { ratePerSec: flags['demo-rate'] } : null,
      simPort: flags['sim-port'],
    });
  } catch (error) {
    logger.error({ err: error }, 'friren up failed to start');
    progress.note(`friren up failed: ${(error as Error).message}`);
    return EXIT.failure;
  }
  printBanner(ctx.stdout, stack, flags.demo ? flags['demo-rate'] : null);

  const reason = await stopRequested;
  progress.note(`\n${reason}: shutting down (Ctrl-C again to force)…`);
  const result = await stack.close();
  if (stack.demo !== null) {
    const s = stack.demo.stats();
    println(
      ctx.stdout,
      `demo: ${s.fills + s.historyFills} fills submitted (${s.historyFills} of seeded history; live ${s.buys} buys, ${s.sells} sells), ${s.orderRejections} orders refused, ${s.submitFailures} not queued`,
    );
  }
  logger.info({ completed: result.completed, failedSteps: result.failedSteps }, 'shutdown finished');
  logger.flush();
  return result.completed && result.failedSteps.length === 0 ? EXIT.ok : EXIT.failure;
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once (the user insists). */
function signalPromise(): Promise<string> {
  return new Promise((resolve) => {
    let seen = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (seen) {
        process.stderr.write(`${signal} again: exiting without finishing the shutdown\n`);
        process.exit(EXIT.failure);
      }
      seen = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function printBanner(out: Output, stack: Stack, demoRate: number | null): void {
  const { urls } = stack;
  const pairs: [string, string][] = [
    ['API (orchestrator)', urls.api],
    ...urls.accounts.map((u): [string, string] => ['account view', u]),
    ['queue dashboard', `${urls.api}${DASHBOARD_PATH}`],
    ...Object.entries(urls.ops).map(([app, u]): [string, string] => [`${app} metrics`, `${u}/metrics`]),
  ];
  if (urls.simulator !== null) {
    const { keyId, secretKey } = stack.broker.credentials;
    pairs.push(['simulator', `${urls.simulator}  (keys ${keyId} / ${secretKey}, fake by design)`]);
  }
  if (demoRate !== null) {
    pairs.push(['demo', `${demoRate} fills/s from ${DEMO_STRATEGIES.map((s) => s.name).join(', ')}`]);
  }
  const mode = stack.broker.mode === 'alpaca' ? 'Alpaca' : 'the SIMULATOR';
  println(out);
  println(
    out,
    `Friren is up: poller, trade-recorder, analytics and orchestrator in one process (pid ${process.pid}), broker: ${mode}`,
  );
  println(out, renderPairs(pairs).replace(/^/gm, '  '));
  println(out, 'Try: pnpm friren report   ·   pnpm friren snapshot   ·   Ctrl-C stops everything cleanly');
  println(out);
}
