export type PnlMethod = 'fifo' | 'average';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

export interface AccountConfig {
  readonly alias: string;
  /** Per-account credentials if set, else the shared ones, else null (simulator mode). */
  readonly credentials: AlpacaCredentials | null;
}

export interface AlpacaConfig {
  /** Without a trailing slash. */
  readonly baseUrl: string;
  /** Whether ALPACA_BASE_URL was given (false: the default paper URL). */
  readonly baseUrlSet: boolean;
  readonly rateLimitPerMin: number;
  /** True when no credentials are configured at all: run against the built-in simulator. */
  readonly useSimulator: boolean;
}

export interface SnapshotConfig {
  readonly refreshMs: number;
  readonly ttlMs: number;
  readonly minIntervalMs: number;
}

export interface HttpConfig {
  readonly port: number;
  readonly host: string;
}

/** The typed form of docs/CONTRACT.md §1. */
export interface FrirenConfig {
  readonly redisUrl: string;
  readonly mysqlUrl: string;
  readonly prefix: string;
  readonly accounts: readonly AccountConfig[];
  readonly alpaca: AlpacaConfig;
  readonly snapshot: SnapshotConfig;
  readonly portfolioHistoryRefreshMs: number;
  readonly pnlMethod: PnlMethod;
  readonly opsPort: number;
  /** Listen address of the ops server (`/metrics`, `/healthz`, `/readyz`). */
  readonly opsHost: string;
  readonly http: HttpConfig;
  readonly apiToken: string | null;
  readonly logLevel: LogLevel;
}
