import type { SentinelSettings } from '@friren/redis';

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

/** What "acknowledged" means for a submitted trade (docs/CONTRACT.md §3). */
export interface SubmitReplicasConfig {
  /** Replicas a submit waits for (`WAIT`); null: 1 when the master has replicas, else 0. */
  readonly count: number | null;
  readonly timeoutMs: number;
}

/** The typed form of docs/CONTRACT.md §1. */
export interface FrirenConfig {
  readonly redisUrl: string;
  /** Redis behind Sentinel (`REDIS_SENTINELS`); null: `REDIS_URL` names the server. */
  readonly redisSentinel: SentinelSettings | null;
  readonly submitReplicas: SubmitReplicasConfig;
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
