export { ValidationError } from '@friren/contracts';
export { createProducerConnection } from './connection.js';
export { SubmitTimeoutError } from './errors.js';
export { TRADE_JOB_ID_PREFIX, tradeIdFromJobId, tradeJobId } from './job-id.js';
export { TRADE_JOB_OPTIONS, type TradeJobOptions } from './job-options.js';
export {
  createTradeClient,
  type SubmittedTrade,
  type TradeClient,
  type TradeClientOptions,
} from './trade-client.js';
