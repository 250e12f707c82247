export { throttledLog } from './log-throttle.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export {
  Counter,
  type CounterConfiguration,
  createMetrics,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  type Metrics,
  type MetricsOptions,
  Registry,
  Summary,
  type SummaryConfiguration,
} from './metrics.js';
export { type OpsServer, type OpsServerOptions, startOpsServer } from './ops-server.js';
export { cachedProbe, errorText, withDeadline } from './probes.js';
export {
  type ReadinessCheck,
  type ReadinessOptions,
  type ReadinessProbe,
  type ReadinessReport,
  readinessFromChecks,
} from './readiness.js';
export { redactObject } from './redact-object.js';
export { CENSOR, redactSecrets, registerSecret, registerSecretsFromEnv } from './secrets.js';
export { isSensitiveKey } from './sensitive-keys.js';
export {
  describeLoadError,
  type RunServiceOptions,
  runService,
  type ServedService,
  type Service,
  type ServiceConfig,
  type ServiceDeps,
  type StartOptions,
  type StartService,
  serveService,
  serviceShutdownSteps,
} from './service.js';
export {
  closeInOrder,
  DEFAULT_SHUTDOWN_DEADLINE_MS,
  type InstallShutdownOptions,
  installShutdown,
  runShutdownSteps,
  type ShutdownHandle,
  type ShutdownResult,
  type ShutdownStep,
} from './shutdown.js';
