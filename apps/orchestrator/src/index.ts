export { DASHBOARD_PATH } from './admin/queue-dashboard.js';
export type { AccountView } from './http/account-view.js';
export { isLoopbackHost } from './http/auth.js';
export type { ErrorBody } from './http/errors.js';
export { RISK_ENV, riskLimitsFromEnv } from './risk-env.js';
export { type Orchestrator, type StartOptions, start } from './service.js';
