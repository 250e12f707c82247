import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { ConfigIssue } from './errors.js';

export type ReadFile = (path: string) => string;

/** The default ReadFile: the whole file as UTF-8, read synchronously (secrets are tiny). */
export const readFileUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * Reads variables from one environment and gathers every problem instead of stopping at the
 * first, so loadConfig can report them all at once. An empty variable counts as unset, as
 * compose files and Kubernetes manifests often write `NAME=` for "not given".
 */
export class EnvReader {
  readonly issues: ConfigIssue[] = [];
  readonly #env: NodeJS.ProcessEnv;
  readonly #readFile: ReadFile;

  constructor(env: NodeJS.ProcessEnv, readFile: ReadFile) {
    this.#env = env;
    this.#readFile = readFile;
  }

  fail(variable: string, message: string): void {
    this.issues.push({ variable, message });
  }

  hasIssue(...variables: string[]): boolean {
    return this.issues.some((issue) => variables.includes(issue.variable));
  }

  /** The variable's value, or undefined when unset or empty. */
  raw(name: string): string | undefined {
    const value = this.#env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  /**
   * NAME's value, or the content of the file named by NAME_FILE (trailing newlines dropped).
   * Setting both is an error: which one wins would be a guess.
   */
  rawOrFile(name: string): string | undefined {
    const fileVar = `${name}_FILE`;
    const value = this.raw(name);
    const path = this.raw(fileVar);
    if (path === undefined) return value;
    if (value !== undefined) {
      this.fail(name, `both ${name} and ${fileVar} are set; set only one`);
      return undefined;
    }
    let content: string;
    try {
      content = this.#readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.fail(fileVar, `cannot read the file it names${code === undefined ? '' : ` (${code})`}`);
      return undefined;
    }
    content = content.replace(/[\r\n]+$/, '');
    if (content === '') {
      this.fail(fileVar, 'the file it names is empty');
      return undefined;
    }
    return content;
  }

  /**
   * Parses `value` (already read) with `schema`; on failure records the schema's message for
   * `variable` and returns undefined.
   */
  check<T>(variable: string, value: string, schema: z.ZodType<T, string>): T | undefined {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    this.fail(variable, result.error.issues[0]?.message ?? 'is invalid');
    return undefined;
  }

  /** Reads NAME (falling back to `fallback`) and parses it; undefined when invalid. */
  parse<T>(name: string, schema: z.ZodType<T, string>, fallback: string): T | undefined {
    return this.check(name, this.raw(name) ?? fallback, schema);
  }
}
