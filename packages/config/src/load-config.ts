import { parseSentinelList, type SentinelSettings } from '@friren/redis';
import { parseAccountAliases } from './accounts.js';
import { resolveAccounts } from './credentials.js';
import { ENV_DEFAULTS, FALLBACK_OPS_PORT } from './defaults.js';
import { EnvReader, type ReadFile, readFileUtf8 } from './env-reader.js';
import { ConfigError } from './errors.js';
import {
  durationMsSchema,
  hostSchema,
  httpUrlSchema,
  logLevelSchema,
  mysqlUrlSchema,
  pnlMethodSchema,
  portSchema,
  positiveIntSchema,
  prefixSchema,
  redisUrlSchema,
  replicaCountSchema,
  secretSchema,
} from './schemas.js';
import type { FrirenConfig } from './types.js';

export interface LoadConfigOptions {
  /** This app's OPS_PORT default (see DEFAULT_OPS_PORTS); 9100 when not given. */
  readonly opsPort?: number;
  /**
   * Check the SNAPSHOT_* timings against each other, as the poller, which keeps them, needs
   * (default true). An app that never polls passes false, so poller timing cannot stop it.
   */
  readonly pollerTiming?: boolean;
  /** Reads `*_FILE` secrets; defaults to a UTF-8 `readFileSync`. */
  readonly readFile?: ReadFile;
}

/**
 * docs/CONTRACT.md §1: the environment as a typed, frozen config. Every problem is collected and thrown
 * as one ConfigError naming each offending variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, opts: LoadConfigOptions = {}): FrirenConfig {
  const reader = new EnvReader(env, opts.readFile ?? readFileUtf8);
  const d = ENV_DEFAULTS;

  // URLs may carry passwords, so they take the `_FILE` form too.
  const redisUrl = reader.check('REDIS_URL', reader.rawOrFile('REDIS_URL') ?? d.REDIS_URL, redisUrlSchema);
  const redisSentinel = readSentinel(reader);
  const submitReplicasRaw = reader.raw('FRIREN_SUBMIT_REPLICAS');
  const submitReplicas =
    submitReplicasRaw === undefined
      ? null
      : reader.check('FRIREN_SUBMIT_REPLICAS', submitReplicasRaw, replicaCountSchema);
  const submitReplicaTimeoutMs = reader.parse(
    'FRIREN_SUBMIT_REPLICAS_TIMEOUT_MS',
    durationMsSchema,
    d.FRIREN_SUBMIT_REPLICAS_TIMEOUT_MS,
  );
  const mysqlUrl = reader.check('MYSQL_URL', reader.rawOrFile('MYSQL_URL') ?? d.MYSQL_URL, mysqlUrlSchema);
  const prefix = reader.parse('FRIREN_PREFIX', prefixSchema, d.FRIREN_PREFIX);

  const aliases = parseAccountAliases(reader, reader.raw('FRIREN_ACCOUNTS') ?? d.FRIREN_ACCOUNTS);
  const accounts = resolveAccounts(reader, aliases);

  const baseUrl = reader.parse('ALPACA_BASE_URL', httpUrlSchema, d.ALPACA_BASE_URL);
  const rateLimitPerMin = reader.parse(
    'ALPACA_RATE_LIMIT_PER_MIN',
    positiveIntSchema,
    d.ALPACA_RATE_LIMIT_PER_MIN,
  );

  const refreshMs = reader.parse('SNAPSHOT_REFRESH_MS', durationMsSchema, d.SNAPSHOT_REFRESH_MS);
  const ttlMs = reader.parse('SNAPSHOT_TTL_MS', durationMsSchema, d.SNAPSHOT_TTL_MS);
  // Unset, the spacing floor is 2 s but never more than the refresh interval it must fit in.
  const minIntervalMs = reader.parse(
    'SNAPSHOT_MIN_INTERVAL_MS',
    durationMsSchema,
    refreshMs === undefined
      ? d.SNAPSHOT_MIN_INTERVAL_MS
      : String(Math.min(Number(d.SNAPSHOT_MIN_INTERVAL_MS), refreshMs)),
  );
  const portfolioHistoryRefreshMs = reader.parse(
    'PORTFOLIO_HISTORY_REFRESH_MS',
    durationMsSchema,
    d.PORTFOLIO_HISTORY_REFRESH_MS,
  );
  if (opts.pollerTiming ?? true) {
    // A snapshot that expires before the next refresh leaves readers with nothing between polls.
    if (refreshMs !== undefined && ttlMs !== undefined && ttlMs < refreshMs) {
      reader.fail('SNAPSHOT_TTL_MS', 'must be at least SNAPSHOT_REFRESH_MS');
    }
    // The spacing floor cannot exceed the regular interval the poller is asked to keep.
    if (refreshMs !== undefined && minIntervalMs !== undefined && minIntervalMs > refreshMs) {
      reader.fail('SNAPSHOT_MIN_INTERVAL_MS', 'must not exceed SNAPSHOT_REFRESH_MS');
    }
  }

  const pnlMethod = reader.parse('PNL_METHOD', pnlMethodSchema, d.PNL_METHOD);
  const opsPort = reader.parse('OPS_PORT', portSchema, String(opts.opsPort ?? FALLBACK_OPS_PORT));
  const opsHost = reader.parse('OPS_HOST', hostSchema, d.OPS_HOST);
  const httpPort = reader.parse('HTTP_PORT', portSchema, d.HTTP_PORT);
  const httpHost = reader.parse('HTTP_HOST', hostSchema, d.HTTP_HOST);
  const apiTokenRaw = reader.rawOrFile('FRIREN_API_TOKEN');
  const apiToken =
    apiTokenRaw === undefined ? null : reader.check('FRIREN_API_TOKEN', apiTokenRaw, secretSchema);
  const logLevel = reader.parse('LOG_LEVEL', logLevelSchema, d.LOG_LEVEL);

  if (reader.issues.length > 0) throw new ConfigError(reader.issues);

  // With no issues recorded every value above is defined; the assertions only restate that.
  const config: FrirenConfig = {
    redisUrl: redisUrl!,
    redisSentinel,
    submitReplicas: { count: submitReplicas ?? null, timeoutMs: submitReplicaTimeoutMs! },
    mysqlUrl: mysqlUrl!,
    prefix: prefix!,
    accounts: accounts!,
    alpaca: {
      baseUrl: baseUrl!,
      baseUrlSet: reader.raw('ALPACA_BASE_URL') !== undefined,
      rateLimitPerMin: rateLimitPerMin!,
      useSimulator: accounts!.every((account) => account.credentials === null),
    },
    snapshot: { refreshMs: refreshMs!, ttlMs: ttlMs!, minIntervalMs: minIntervalMs! },
    portfolioHistoryRefreshMs: portfolioHistoryRefreshMs!,
    pnlMethod: pnlMethod!,
    opsPort: opsPort!,
    opsHost: opsHost!,
    http: { port: httpPort!, host: httpHost! },
    apiToken: apiToken ?? null,
    logLevel: logLevel!,
  };
  return deepFreeze(config);
}

/** `REDIS_SENTINELS` and its companions, or null when Redis is reached by `REDIS_URL` alone. */
function readSentinel(reader: EnvReader): SentinelSettings | null {
  const raw = reader.raw('REDIS_SENTINELS');
  if (raw === undefined || raw.trim() === '') return null;
  const list = parseSentinelList(raw);
  if (!list.ok) reader.fail('REDIS_SENTINELS', list.reason);
  const name = reader.raw('REDIS_SENTINEL_NAME');
  if (name === undefined || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
    reader.fail(
      'REDIS_SENTINEL_NAME',
      'must name the master group (1-64 of A-Z a-z 0-9 _ . -) when REDIS_SENTINELS is set',
    );
  }
  const passwordRaw = reader.rawOrFile('REDIS_SENTINEL_PASSWORD');
  const password =
    passwordRaw === undefined
      ? undefined
      : reader.check('REDIS_SENTINEL_PASSWORD', passwordRaw, secretSchema);
  if (!list.ok || name === undefined) return null;
  return { sentinels: list.value, name, ...(password === undefined ? {} : { password }) };
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
