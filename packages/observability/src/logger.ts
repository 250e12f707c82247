import {
  type Bindings,
  type DestinationStream,
  type Logger,
  type LoggerOptions as PinoOptions,
  pino,
} from 'pino';
import { redactObject } from './redact-object.js';
import { redactSecrets, registerSecretsFromEnv } from './secrets.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** The app or component, printed as `name` on every line. */
  readonly name: string;
  /** A pino level; `info` when not given. */
  readonly level?: string;
  /** Where lines go; stdout when not given. */
  readonly destination?: DestinationStream;
}

/**
 * A pino logger that never prints a secret. Three layers, because pino's own `redact` only
 * covers fixed paths:
 * - objects (log arguments, `%o` arguments and child bindings) are walked and sensitive keys censored at any
 *   depth (see `isSensitiveKey`); Errors are serialized at any depth, not only under `err`;
 * - each finished line has every known secret value censored (env secrets, registered ones)
 *   and URL passwords masked, which covers messages, stacks and bindings alike;
 * - levels print as labels (`"level":"info"`) for people and log stores.
 */
export function createLogger(opts: LoggerOptions): Logger {
  registerSecretsFromEnv(process.env);
  const options: PinoOptions = {
    name: opts.name,
    level: opts.level ?? 'info',
    // Errors are already serialized by redactObject; pino's own serializer would redo it badly.
    serializers: { err: (value: unknown) => value },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactObject(bindings),
      log: (object) => redactObject(object),
    },
    hooks: {
      // Objects interpolated into the message (`%o`, `%j`) bypass formatters.log.
      logMethod(args, method) {
        method.apply(this, args.map((arg, i) => (i === 0 ? arg : redactObject(arg))) as typeof args);
      },
      streamWrite: redactSecrets,
    },
  };
  // Without a destination pino picks stdout itself (and copes with a patched process.stdout).
  const logger = opts.destination === undefined ? pino(options) : pino(options, opts.destination);

  // pino formats child bindings with an identity formatter, so redact them on the way in.
  // Children are created from their parent's prototype chain, so this covers every descendant.
  const child = logger.child;
  logger.child = function redactedChild(this: Logger, bindings: Bindings, options?: object) {
    return child.call(this, redactObject(bindings), options);
  } as Logger['child'];
  return logger;
}
