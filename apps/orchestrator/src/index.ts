export { DASHBOARD_PATH } from './admin/queue-dashboard.js';
export type { AccountView } from './http/account-view.js';
export { isLoopbackHost } from './http/auth.js';
export type { ErrorBody } from './http/errors.js';
export { type Orchestrator, type StartOptions, start } from './service.js';
export { load as loadOrchestratorConfig, RISK_ENV, riskLimitsFromEnv } from './settings.js';
