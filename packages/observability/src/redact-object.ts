import { stdSerializers } from 'pino';
import { CENSOR } from './secrets.js';
import { isSensitiveKey } from './sensitive-keys.js';

// Deeper than any log object we write; beyond it the value is summarised, not walked.
const MAX_DEPTH = 12;

/**
 * A copy of a log object fit to print: values under sensitive keys censored at any depth, and
 * Errors at any depth serialized (type, message, stack with causes, own fields) so that their
 * fields are walked too. Known secret values inside strings are censored later, on the whole
 * line (see `redactSecrets`), which also covers the message and stack text.
 */
export function redactObject<T>(value: T): T {
  return walk(value, 0, new Set()) as T;
}

function walk(value: unknown, depth: number, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[Array]' : '[Object]';

  ancestors.add(value);
  try {
    if (value instanceof Error) return walk(stdSerializers.err(value), depth, ancestors);
    // As JSON.stringify would: a Date becomes its string, a Decimal its own JSON form.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return walk(toJSON.call(value), depth, ancestors);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, ancestors));

    const copy: Record<string, unknown> = {};
    const credentialArgs = isCredentialCommand(value);
    for (const [key, item] of Object.entries(value)) {
      if (credentialArgs && key === 'args' && Array.isArray(item)) copy[key] = item.map(() => CENSOR);
      else copy[key] = isSensitiveKey(key) && isCensorable(item) ? CENSOR : walk(item, depth + 1, ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}

/**
 * ioredis puts the failed command on its errors as `command: { name, args }`; for AUTH and HELLO
 * (`HELLO 3 AUTH user password`) the args are the credentials, whether or not they came from a
 * variable we know of (a `REDIS_URL_FILE`, say).
 */
function isCredentialCommand(value: object): boolean {
  const name = (value as { name?: unknown }).name;
  return (
    typeof name === 'string' &&
    /^(auth|hello)$/i.test(name) &&
    Array.isArray((value as { args?: unknown }).args)
  );
}

// `apiToken: null` or `password: false` says "not configured", which is useful and reveals nothing.
function isCensorable(value: unknown): boolean {
  return value !== null && value !== undefined && typeof value !== 'boolean';
}
