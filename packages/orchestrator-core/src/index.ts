export { AccountManager, type RefreshRequestResult } from './account-manager.js';
export {
  type AccountManagerCommonOptions,
  type AccountManagerOptions,
  type AccountManagers,
  type AccountManagersOptions,
  createAccountManager,
  createAccountManagers,
} from './account-managers.js';
export { MAX_TIMER_MS } from './expiry.js';
export { DEFAULT_MAX_CLOCK_SKEW_MS, type Freshness, judgeFreshness } from './freshness.js';
export { type HealthInput, judgeHealth } from './health.js';
export type { LoggerLike } from './logger.js';
export { ORDER_SYMBOL_PATTERN, type OrderRequest, orderRequestSchema, type ParsedOrder } from './order.js';
export { decodePollerStatus } from './poller-status.js';
export { type Position, type Positions, parsePositions } from './positions.js';
export type { RedisConnectionOptions } from './redis-link.js';
export {
  checkOrderAgainst,
  type ParsedRiskLimits,
  parseRiskLimits,
  type RiskContext,
  type RiskDecision,
  type RiskLimits,
} from './risk.js';
export {
  type DayPnl,
  type FreshnessSource,
  type Health,
  type KnownSnapshot,
  type PollerStatus,
  READ_LAYERS,
  type ReadLayer,
  type SessionStats,
  type SnapshotOrigin,
  type SnapshotRead,
  type UnknownSnapshot,
} from './types.js';
