import type { Logger } from 'pino';

export interface ShutdownStep {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

export interface ShutdownResult {
  /** Every step ran (failed or not) within the deadline. */
  readonly completed: boolean;
  /** The step still running when the deadline passed, else null. */
  readonly hungStep: string | null;
  /** Steps that threw; later steps ran regardless. */
  readonly failedSteps: readonly string[];
}

export interface InstallShutdownOptions {
  readonly logger: Logger;
  /** The whole shutdown's budget; default 25000 ms, under Kubernetes' 30 s grace period. */
  readonly deadlineMs?: number;
  readonly steps: readonly ShutdownStep[];
  /** Default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Default `process.exit`; tests pass a spy. */
  readonly exit?: (code: number) => void;
}

export interface ShutdownHandle {
  /** Runs the steps once and exits; later calls (and signals) return the same promise. */
  shutdown(reason: string): Promise<void>;
  /** Removes the signal handlers (for tests and for hosts composing several apps). */
  dispose(): void;
}

export const DEFAULT_SHUTDOWN_DEADLINE_MS = 25_000;

const TIMED_OUT = Symbol('timed out');

/**
 * Runs `steps` in order under one deadline, without exiting: a step's error is logged and the
 * next step still runs; past the deadline the hung step is logged and the rest are skipped.
 * A null deadline never passes: for an app's own close, which runs inside its host's deadline.
 * Never rejects.
 */
export async function runShutdownSteps(
  steps: readonly ShutdownStep[],
  deadlineMs: number | null,
  logger: Logger,
): Promise<ShutdownResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    if (deadlineMs !== null) timer = setTimeout(() => resolve(TIMED_OUT), deadlineMs);
  });
  const failedSteps: string[] = [];
  try {
    for (const [index, step] of steps.entries()) {
      const started = performance.now();
      const outcome = await Promise.race([
        Promise.resolve()
          .then(() => step.run())
          .then(
            () => null,
            (error: unknown) => ({ error }),
          ),
        deadline,
      ]);
      if (outcome === TIMED_OUT) {
        const skipped = steps.slice(index + 1).map((s) => s.name);
        logger.error(
          { step: step.name, deadlineMs, skipped },
          `shutdown deadline passed while "${step.name}" ran`,
        );
        return { completed: false, hungStep: step.name, failedSteps };
      }
      const durationMs = Math.round(performance.now() - started);
      if (outcome === null) {
        logger.info({ step: step.name, durationMs }, 'shutdown step done');
      } else {
        failedSteps.push(step.name);
        logger.error({ step: step.name, durationMs, err: outcome.error }, 'shutdown step failed');
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return { completed: true, hungStep: null, failedSteps };
}

/**
 * An app's own ordered close: every step runs even when an earlier one failed (each failure is
 * logged), with no deadline of its own; the host that runs the app holds the one deadline.
 */
export async function closeInOrder(steps: readonly ShutdownStep[], logger: Logger): Promise<void> {
  await runShutdownSteps(steps, null, logger);
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: the steps run once, in order, under the deadline; then
 * the process exits 0, or 1 when the deadline passed. A repeated signal does not restart it.
 */
export function installShutdown(opts: InstallShutdownOptions): ShutdownHandle {
  const { logger, steps } = opts;
  const deadlineMs = opts.deadlineMs ?? DEFAULT_SHUTDOWN_DEADLINE_MS;
  const signals = opts.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let running: Promise<void> | undefined;

  function shutdown(reason: string): Promise<void> {
    if (running !== undefined) {
      logger.warn({ reason }, 'shutdown already in progress');
      return running;
    }
    logger.info({ reason, deadlineMs }, 'shutting down');
    running = runShutdownSteps(steps, deadlineMs, logger).then((result) => {
      const code = result.completed ? 0 : 1;
      logger.info({ code, failedSteps: result.failedSteps }, 'shutdown finished');
      logger.flush();
      exit(code);
    });
    return running;
  }

  const onSignal = (signal: NodeJS.Signals) => {
    void shutdown(`signal ${signal}`);
  };
  for (const signal of signals) process.on(signal, onSignal);

  return {
    shutdown,
    dispose() {
      for (const signal of signals) process.off(signal, onSignal);
    },
  };
}
