/** Each app's own OPS_PORT default, so all four can run on one host without clashing. */
export const DEFAULT_OPS_PORTS = {
  poller: 9101,
  'trade-recorder': 9102,
  analytics: 9103,
  orchestrator: 9104,
} as const;

/** OPS_PORT for a process that names no default of its own (e.g. the CLI). */
export const FALLBACK_OPS_PORT = 9100;

/** docs/CONTRACT.md §1 defaults, as the raw strings an operator would write. */
export const ENV_DEFAULTS = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  MYSQL_URL: 'mysql://root@127.0.0.1:3306/friren',
  FRIREN_PREFIX: 'friren',
  FRIREN_ACCOUNTS: 'default',
  ALPACA_BASE_URL: 'https://paper-api.alpaca.markets',
  ALPACA_RATE_LIMIT_PER_MIN: '200',
  SNAPSHOT_REFRESH_MS: '30000',
  SNAPSHOT_TTL_MS: '90000',
  SNAPSHOT_MIN_INTERVAL_MS: '2000',
  PORTFOLIO_HISTORY_REFRESH_MS: '900000',
  PNL_METHOD: 'fifo',
  HTTP_PORT: '8080',
  HTTP_HOST: '127.0.0.1',
  OPS_HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  FRIREN_SUBMIT_REPLICAS_TIMEOUT_MS: '2000',
} as const;
