import { DEFAULT_OPS_PORTS, loadConfig } from '@friren/config';
import { createLogger, installShutdown } from '@friren/observability';
import { start } from './recorder.js';

// Thin entry point: configuration, logger, the recorder, signals. Migrations are `pnpm migrate`'s
// job; the recorder waits for the ledger tables and says so.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, { opsPort: DEFAULT_OPS_PORTS['trade-recorder'] });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const logger = createLogger({ name: 'trade-recorder', level: config.logLevel });
const recorder = await start(config, { logger });
installShutdown({ logger, steps: [{ name: 'trade-recorder', run: () => recorder.close() }] });
logger.info({ ops: recorder.opsUrl }, 'trade-recorder started');
