export { AccountRunner, type AccountRunnerOptions } from './account-runner.js';
export { dailyRows } from './daily-rows.js';
export { type HistoryDay, parseHistory } from './history.js';
export { enqueueRecompute, TICK_SCHEDULER_ID } from './jobs.js';
export {
  type AnalyticsMetrics,
  type AnalyticsMetricsOptions,
  createAnalyticsMetrics,
  DEFAULT_METRICS_MAX_STRATEGIES,
  SCOPE,
} from './metrics.js';
export { parsePositionPrices } from './positions.js';
export {
  type CachedState,
  checkpointAccount,
  type RebuildReason,
  type RecomputeContext,
  type RecomputeOptions,
  type RecomputeResult,
  recomputeAccount,
} from './recompute.js';
export { type AnalyticsService, type StartOptions, start } from './service.js';
export {
  type AnalyticsSettings,
  analyticsSettingsFromEnv,
  DEFAULT_ANALYTICS_SETTINGS,
  load as loadAnalyticsConfig,
} from './settings.js';
