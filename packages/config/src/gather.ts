import { ConfigError, type ConfigIssue } from './errors.js';
import { type LoadConfigOptions, loadConfig } from './load-config.js';
import type { FrirenConfig } from './types.js';

/**
 * Runs every reader (e.g. loadConfig and an app's own settings) and returns their results; the
 * issues of every ConfigError they throw are gathered into one, so an operator sees them all at
 * once. Any other error is a bug and passes through.
 */
export function gatherConfig<T extends readonly unknown[]>(...readers: { [K in keyof T]: () => T[K] }): T {
  const issues: ConfigIssue[] = [];
  const results = readers.map((read) => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return results as unknown as T;
}

/**
 * An app's `load(env)`: docs/CONTRACT.md §1 read with the app's options, then each of the app's own
 * settings readers, every bad variable of all of them in one ConfigError.
 */
export function appConfigLoader(
  options: LoadConfigOptions,
  ...settings: readonly ((env: NodeJS.ProcessEnv) => unknown)[]
): (env: NodeJS.ProcessEnv) => FrirenConfig {
  return (env) => {
    const [config] = gatherConfig<[FrirenConfig, ...unknown[]]>(
      () => loadConfig(env, options),
      ...settings.map((read) => () => read(env)),
    );
    return config;
  };
}
