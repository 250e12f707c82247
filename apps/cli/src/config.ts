import { ConfigError, DEFAULT_OPS_PORTS, type FrirenConfig, loadConfig } from '@friren/config';
import { CliFailure } from './errors.js';

/** docs/CONTRACT.md §1 config from the command's environment; a bad variable is a failure (exit 1). */
export function cliConfig(env: NodeJS.ProcessEnv): FrirenConfig {
  try {
    // The poller's default is the base of `up`'s ops ports (see stack/ops-ports.ts).
    return loadConfig(env, { opsPort: DEFAULT_OPS_PORTS.poller });
  } catch (error) {
    if (error instanceof ConfigError) throw new CliFailure(error.message);
    throw error;
  }
}
