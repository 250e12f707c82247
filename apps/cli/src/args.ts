import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { z } from 'zod';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedFlags<O extends Options> {
  readonly values: ReturnType<
    typeof parseArgs<{ options: O; strict: true; allowPositionals: boolean }>
  >['values'];
  readonly positionals: string[];
}

/** node:util parseArgs, with its errors turned into UsageError (exit 2). */
export function parseFlags<O extends Options>(
  args: readonly string[],
  options: O,
  positionals = false,
): ParsedFlags<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses flag values with a zod schema; every bad flag is named in one UsageError. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `--${i.path.join('.') || '(flags)'}: ${i.message}`);
  throw new UsageError(lines.join('\n'));
}

/** The one account a command is about: the positional, else the only configured account. */
export function pickAccount(positionals: readonly string[], configured: readonly string[]): string {
  if (positionals.length > 1) throw new UsageError(`one account alias expected, got ${positionals.length}`);
  const alias = positionals[0] ?? (configured.length === 1 ? configured[0] : undefined);
  if (alias === undefined) {
    throw new UsageError(`name the account: one of ${configured.join(', ')} (FRIREN_ACCOUNTS)`);
  }
  if (!configured.includes(alias)) {
    throw new UsageError(`account "${alias}" is not in FRIREN_ACCOUNTS (${configured.join(', ')})`);
  }
  return alias;
}
