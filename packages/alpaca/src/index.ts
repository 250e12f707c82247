export { type BrokerAccount, brokerAccountSchema } from './account-schema.js';
export { classifyFailure } from './classify.js';
export {
  type AlpacaClient,
  type AlpacaClientOptions,
  type BrokerRequestEvent,
  type CallOptions,
  createAlpacaClient,
  DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type FillActivityQuery,
  type PortfolioHistoryQuery,
} from './client.js';
export { BROKER_ENDPOINTS, type BrokerEndpoint } from './endpoints.js';
export { BROKER_ERROR_KINDS, BrokerError, type BrokerErrorKind, isBrokerError } from './errors.js';
export { type FillActivity, fillActivitySchema } from './fill-activity-schema.js';
export { apiKeyHash } from './key-hash.js';
export { moneySchema } from './money.js';
export { type PortfolioHistory, portfolioHistorySchema } from './portfolio-history-schema.js';
export { type BrokerPosition, brokerPositionSchema } from './position-schema.js';
export { type RateLimitHeaders, readRateLimitHeaders } from './rate-limit-headers.js';
export {
  type AcquireOptions,
  type AcquireResult,
  type RateLimiterOptions,
  type RateLimitState,
  RedisRateLimiter,
} from './rate-limiter.js';
