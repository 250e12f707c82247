import { ConfigError, DEFAULT_OPS_PORTS, loadConfig } from '@friren/config';
import {
  createLogger,
  createMetrics,
  installShutdown,
  readinessFromChecks,
  startOpsServer,
} from '@friren/observability';
import { start } from './index.js';
import { pollerSettingsFromEnv } from './tuning.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env, { opsPort: DEFAULT_OPS_PORTS.poller });
  // The POLLER_* knobs too, so a bad one stops the start with the same one-message error.
  pollerSettingsFromEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ name: 'poller', level: config.logLevel });
const { registry } = createMetrics();
const poller = await start(config, { logger, registry });
const ops = await startOpsServer({
  port: config.opsPort,
  registry,
  logger,
  readiness: readinessFromChecks({ redis: () => poller.ping() }),
});

installShutdown({
  logger,
  steps: [
    // Fail /readyz first so traffic moves away, then stop the work, then close the connections.
    { name: 'mark not ready', run: () => ops.beginShutdown() },
    { name: 'stop polling, release leases, close Redis', run: () => poller.close() },
    { name: 'close ops server', run: () => ops.close() },
  ],
});
