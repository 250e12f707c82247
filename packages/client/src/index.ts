export { ValidationError } from '@friren/contracts';
export { createProducerConnection } from './connection.js';
export { SubmitTimeoutError } from './errors.js';
export {
  conflictJobId,
  TRADE_JOB_ID_PREFIX,
  type TradeKey,
  tradeJobId,
  tradeKeyFromJobId,
} from './job-id.js';
export { TRADE_JOB_OPTIONS, type TradeJobOptions } from './job-options.js';
export { type ReplicaPolicy, ReplicationTimeoutError } from './replicas.js';
export type { SubmitResult, TradeFieldDifference } from './submit-outcome.js';
export {
  createTradeClient,
  type TradeClient,
  type TradeClientOptions,
} from './trade-client.js';
