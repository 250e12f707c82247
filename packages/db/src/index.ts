export {
  type AnalyticsStateHead,
  type AnalyticsStateUpdate,
  ensureAnalyticsState,
  listAnalyticsStates,
  lockAnalyticsState,
  type PnlMethodColumn,
  readAnalyticsCheckpoint,
  saveAnalyticsCheckpoint,
  saveAnalyticsState,
} from './analytics-state.js';
export { type CreateDbOptions, createDb, type Database, POOL_VALUE_OPTIONS } from './database.js';
export { fromSqlDateTime, toSqlDateTime } from './datetime.js';
export { canonicalDecimal } from './decimal.js';
export { ensureDatabase, quoteIdentifier } from './ensure-database.js';
export { type EquityDailyRow, listEquityDaily, upsertEquityDaily } from './equity-daily.js';
export { InsertRejectedError, isDataError, MAX_ROWS_PER_STATEMENT } from './insert-ignore.js';
export { migrateToLatest, migrationProvider } from './migrate.js';
export { type MigrateDatabaseResult, migrateDatabase } from './migrate-database.js';
export { migrations } from './migrations/index.js';
export {
  DEFAULT_MYSQL_URL,
  describeMysqlUrl,
  type MysqlTarget,
  mysqlUrlSchema,
} from './mysql-url.js';
export {
  deletePerformanceDaily,
  listPerformanceDaily,
  type PerformanceDailyRow,
  upsertPerformanceDaily,
} from './performance-daily.js';
export {
  deletePerformanceMetrics,
  listPerformanceMetrics,
  OVERALL_STRATEGY,
  type PerformanceMetricsRow,
  upsertPerformanceMetrics,
} from './performance-metrics.js';
export {
  insertRejected,
  listRejected,
  MAX_JOB_ID_CHARS,
  MAX_REASON_CHARS,
  type RejectedRow,
  type StoredRejected,
} from './rejected-trades.js';
export type {
  AnalyticsStateTable,
  DB,
  EquityDailyTable,
  PerformanceDailyTable,
  PerformanceMetricsTable,
  RejectedTradesTable,
  TradesTable,
} from './schema.js';
export {
  type FieldDifference,
  recordTrades,
  type TradeOutcome,
  tradeDifferences,
} from './trade-outcomes.js';
export {
  countTradesThrough,
  type StreamedTrade,
  type StreamTradesOptions,
  type StreamTradesResult,
  streamTradesAfter,
} from './trade-stream.js';
export { countTrades, insertTrades, listTradesAfter, type StoredTrade, type TradeRow } from './trades.js';
export { missingTables, type TableWait, type TableWaitOptions, waitForTables } from './wait-for-tables.js';
