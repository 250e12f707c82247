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
  /** 1 when `job_id` was cut to fit its column (MySQL BOOLEAN reads back as TINYINT). */
  job_id_truncated: ColumnType<number, boolean | number | undefined, boolean | number>;
  payload: string;
  reason: string;
  received_at: Generated<string>;
}

/** Analytics worker state per account (see apps/analytics/README.md). */
export interface AnalyticsStateTable {
  account: string;
  pnl_method: 'fifo' | 'average';
  /** The ledger id of the last folded trade ('0': none). */
  last_trade_id: ColumnType<string, string | undefined, string>;
  fills: ColumnType<string, string | number | undefined, string | number>;
  /** +1 per recompute; the `version` of the performance hash. */
  revision: ColumnType<string, string | number | undefined, string | number>;
  /** The ledger id the checkpointed `state` covers ('0': none). */
  state_trade_id: ColumnType<string, string | undefined, string>;
  /** The checkpointed accumulator (JSON), null until the first checkpoint. */
  state: string | null;
  updated_at: string;
}

/** Latest docs/CONTRACT.md §5 figures; `strategy = ''` is the whole account. Money as DECIMAL strings. */
export interface PerformanceMetricsTable {
  account: string;
  strategy: string;
  total_pnl: string;
  realized_pnl: string;
  unrealized_pnl: string;
  total_return_pct: number | null;
  sharpe_ratio: number | null;
  sortino_ratio: number | null;
  max_drawdown_pct: number | null;
  calmar_ratio: number | null;
  win_rate_pct: number | null;
  profit_factor: number | null;
  expectancy: string;
  trades_count: ColumnType<string, string | number, string | number>;
  as_of: string;
}

/** One UTC day of an account's (strategy = '') or a strategy's series. */
export interface PerformanceDailyTable {
  account: string;
  strategy: string;
  /** `YYYY-MM-DD`. */
  date: string;
  realized_pnl: string;
  cumulative_realized_pnl: string;
  daily_return: number | null;
}

/** The broker's daily portfolio history, one row per account and day. */
export interface EquityDailyTable {
  account: string;
  date: string;
  equity: string;
  profit_loss: string;
  profit_loss_pct: number;
  updated_at: string;
}

export interface DB {
  trades: TradesTable;
  rejected_trades: RejectedTradesTable;
  analytics_state: AnalyticsStateTable;
  performance_metrics: PerformanceMetricsTable;
  performance_daily: PerformanceDailyTable;
  equity_daily: EquityDailyTable;
}
