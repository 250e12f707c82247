import { ConfigError, DEFAULT_OPS_PORTS, type FrirenConfig, loadConfig } from '@friren/config';
import { createLogger, createMetrics, installShutdown, startOpsServer } from '@friren/observability';
import type { RiskLimits } from '@friren/orchestrator-core';
import { riskLimitsFromEnv, start } from './index.js';

let config: FrirenConfig;
let risk: RiskLimits;
try {
  config = loadConfig(process.env, { opsPort: DEFAULT_OPS_PORTS.orchestrator });
  risk = riskLimitsFromEnv(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

const logger = createLogger({ name: 'orchestrator', level: config.logLevel });
const { registry } = createMetrics();
const orchestrator = await start(config, { logger, registry, risk });
const ops = await startOpsServer({
  port: config.opsPort,
  registry,
  logger,
  readiness: () => orchestrator.readiness(),
});
logger.info(
  { url: orchestrator.url, ops: ops.url, accounts: orchestrator.managers.aliases },
  'orchestrator started',
);

installShutdown({
  logger,
  steps: [
    { name: 'mark not ready', run: () => ops.beginShutdown() },
    { name: 'close HTTP, account managers and Redis', run: () => orchestrator.close() },
    { name: 'close ops server', run: () => ops.close() },
  ],
});
