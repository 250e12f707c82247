import { DEFAULT_OPS_PORTS, loadConfig } from '@friren/config';
import { createLogger, createMetrics, installShutdown, startOpsServer } from '@friren/observability';
import { start } from './service.js';

// Thin entry point: configuration, logger, the worker, the ops server, signals. Migrations are
// `pnpm migrate`'s job; the worker waits for its tables and says so.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, { opsPort: DEFAULT_OPS_PORTS.analytics });
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const logger = createLogger({ name: 'analytics', level: config.logLevel });
const { registry } = createMetrics();
const analytics = await start(config, { logger, registry });
const ops = await startOpsServer({
  port: config.opsPort,
  registry,
  logger,
  readiness: () => analytics.readiness(),
});
installShutdown({
  logger,
  steps: [
    { name: 'readiness 503', run: () => ops.beginShutdown() },
    { name: 'analytics', run: () => analytics.close() },
    { name: 'ops server', run: () => ops.close() },
  ],
});
logger.info({ ops: ops.url }, 'analytics started');
