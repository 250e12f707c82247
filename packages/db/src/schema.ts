import type { ColumnType, Generated } from 'kysely';

/**
 * Kysely's view of the ledger tables, as mysql2 returns them with our pool options: BIGINT and
 * DECIMAL as strings (exact), DATETIME(6) as `'YYYY-MM-DD HH:MM:SS.ffffff'` strings (UTC), DOUBLE as
 * numbers, JSON as text (MariaDB stores it as LONGTEXT; `jsonStrings` makes MySQL 8 agree).
 */

export interface TradesTable {
  id: Generated<string>;
  trade_id: string;
  account: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: string;
  price: string;
  fees: ColumnType<string, string | undefined, string>;
  executed_at: string;
  strategy_used: string;
  finbert_sentiment: number | null;
  confidence_score: number | null;
  order_id: string | null;
  metadata: string | null;
  recorded_at: Generated<string>;
}

export interface RejectedTradesTable {
  id: Generated<string>;
  job_id: string;
  payload: string;
  reason: string;
  received_at: Generated<string>;
}

export interface DB {
  trades: TradesTable;
  rejected_trades: RejectedTradesTable;
}
