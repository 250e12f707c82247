import type { BrokerEndpoint } from './endpoints.js';

/**
 * Every way a broker call can fail, as the poller counts and reacts to them:
 * - `timeout`: no complete answer within the request deadline (or HTTP 408);
 * - `network`: the request never got an HTTP answer (DNS, refused, reset, aborted);
 * - `server`: HTTP 5xx;
 * - `rate-limited`: HTTP 429, or our shared limiter refused to wait that long;
 * - `auth`: HTTP 401/403, credentials wrong or not allowed: retrying will not help;
 * - `malformed`: a 2xx whose body is not JSON or not the shape Alpaca documents;
 * - `client`: any other 4xx (a request we built wrongly).
 */
export const BROKER_ERROR_KINDS = [
  'timeout',
  'network',
  'server',
  'rate-limited',
  'auth',
  'malformed',
  'client',
] as const;

export type BrokerErrorKind = (typeof BROKER_ERROR_KINDS)[number];

export interface BrokerErrorOptions {
  readonly status?: number;
  /** Epoch ms (local clock) before which the broker must not be called again. */
  readonly resetAt?: number;
  /** True when the limiter refused before any HTTP request was sent. */
  readonly local?: boolean;
}

/**
 * A classified broker failure. Messages are built from status, code and kind only, and no SDK
 * object is attached as `cause`: those carry requests whose headers hold the secret key.
 */
export class BrokerError extends Error {
  override readonly name = 'BrokerError';
  readonly kind: BrokerErrorKind;
  readonly endpoint: BrokerEndpoint;
  readonly status: number | undefined;
  readonly resetAt: number | undefined;
  readonly local: boolean;

  constructor(
    kind: BrokerErrorKind,
    endpoint: BrokerEndpoint,
    message: string,
    opts: BrokerErrorOptions = {},
  ) {
    super(`${endpoint}: ${kind}: ${message}`);
    this.kind = kind;
    this.endpoint = endpoint;
    this.status = opts.status;
    this.resetAt = opts.resetAt;
    this.local = opts.local ?? false;
  }
}

export function isBrokerError(e: unknown): e is BrokerError {
  return e instanceof BrokerError;
}
