/**
 * The `P:account:A:poller` status hash (docs/CONTRACT.md §2), read by the orchestrator's health checks
 * and session statistics. Contract fields: leader, last_success_at, last_error, last_error_at,
 * consecutive_failures, broker_calls_total, rate_limited_total. Ours on top: leader_since,
 * last_attempt_at (a new leader continues the cadence from it), last_error_message, healthy,
 * state, history_fetched_at, history_last_error.
 */
export const STATUS = {
  leader: 'leader',
  leaderSince: 'leader_since',
  lastAttemptAt: 'last_attempt_at',
  lastSuccessAt: 'last_success_at',
  lastError: 'last_error',
  lastErrorAt: 'last_error_at',
  lastErrorMessage: 'last_error_message',
  consecutiveFailures: 'consecutive_failures',
  brokerCallsTotal: 'broker_calls_total',
  rateLimitedTotal: 'rate_limited_total',
  healthy: 'healthy',
  state: 'state',
  historyFetchedAt: 'history_fetched_at',
  historyLastError: 'history_last_error',
} as const;

/**
 * `ok`: last attempt succeeded; `failing`: recent failures, still healthy; `unhealthy`: enough
 * consecutive failures to distrust the account; `auth-failed`: the broker refused the
 * credentials; the account is called again only by a sparse probe (POLLER_AUTH_PROBE_MS, doubling)
 * or as soon as a rotated credential file brings new ones.
 */
export type PollerState = 'ok' | 'failing' | 'unhealthy' | 'auth-failed';
