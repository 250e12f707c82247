export { type CreateDbOptions, createDb, type Database, POOL_VALUE_OPTIONS } from './database.js';
export { fromSqlDateTime, toSqlDateTime } from './datetime.js';
export { canonicalDecimal } from './decimal.js';
export { ensureDatabase, quoteIdentifier } from './ensure-database.js';
export { InsertRejectedError, MAX_ROWS_PER_STATEMENT } from './insert-ignore.js';
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
  insertRejected,
  listRejected,
  MAX_REASON_CHARS,
  type RejectedRow,
  type StoredRejected,
} from './rejected-trades.js';
export type { DB, RejectedTradesTable, TradesTable } from './schema.js';
export { countTrades, insertTrades, listTradesAfter, type StoredTrade, type TradeRow } from './trades.js';
