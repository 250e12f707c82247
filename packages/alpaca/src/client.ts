import { trading } from '@alpacahq/alpaca-trade-api/rest';
import type { z } from 'zod';
import { type BrokerAccount, brokerAccountSchema } from './account-schema.js';
import { classifyFailure } from './classify.js';
import type { BrokerEndpoint } from './endpoints.js';
import { BrokerError, type BrokerErrorKind } from './errors.js';
import { type FillActivity, fillActivitiesSchema } from './fill-activity-schema.js';
import { type PortfolioHistory, portfolioHistorySchema } from './portfolio-history-schema.js';
import { type BrokerPosition, brokerPositionsSchema } from './position-schema.js';
import { readRateLimitHeaders } from './rate-limit-headers.js';
import type { RedisRateLimiter } from './rate-limiter.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RATE_LIMIT_WAIT_MS = 5_000;
/** Added to the request deadline when reserving a rate-limit slot (timer and socket slack). */
const RESERVE_MARGIN_MS = 1_000;

export interface AlpacaClientOptions {
  /** Trading API base URL without a trailing slash (paper, live, or the simulator). */
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  /** Deadline for a whole request, answer body included. */
  readonly timeoutMs?: number;
  /** The shared limit for this API key; every HTTP request takes a slot first. */
  readonly limiter?: RedisRateLimiter;
  /** How long a call may wait for a slot before failing as `rate-limited`. */
  readonly maxRateLimitWaitMs?: number;
  /** Called once per HTTP request (not for calls the limiter refused), e.g. for metrics. */
  readonly onRequest?: (event: BrokerRequestEvent) => void;
  readonly userAgent?: string;
}

export interface BrokerRequestEvent {
  readonly endpoint: BrokerEndpoint;
  readonly outcome: 'ok' | BrokerErrorKind;
  /** When the HTTP request went out (epoch ms), after any wait for a rate-limit slot. */
  readonly sentAt: number;
  readonly durationMs: number;
  readonly status: number | undefined;
  /** Slots left in the shared window after this call, when a limiter is used. */
  readonly tokensLeft: number | undefined;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Overrides `maxRateLimitWaitMs` for this call. */
  readonly maxRateLimitWaitMs?: number;
}

export interface FillActivityQuery {
  readonly after?: Date | string;
  readonly until?: Date | string;
  readonly direction?: 'asc' | 'desc';
  /** Per request, 1–100 (Alpaca's maximum); default 100. */
  readonly pageSize?: number;
  /** Stop after this many pages even if more exist; default unbounded. */
  readonly maxPages?: number;
}

export interface PortfolioHistoryQuery {
  /** e.g. `1M`, `1A`; default `1A`. */
  readonly period?: string;
  /** e.g. `1D`; default `1D`. */
  readonly timeframe?: string;
}

/** Our interface to the broker: what the cluster reads, each answer checked against its schema. */
export interface AlpacaClient {
  getAccount(opts?: CallOptions): Promise<BrokerAccount>;
  getPositions(opts?: CallOptions): Promise<BrokerPosition[]>;
  /** Every `FILL` activity matching the query, following `page_token` across pages. */
  listFillActivities(query?: FillActivityQuery, opts?: CallOptions): Promise<FillActivity[]>;
  getPortfolioHistory(query?: PortfolioHistoryQuery, opts?: CallOptions): Promise<PortfolioHistory>;
}

interface RawResponse {
  readonly raw: Response;
}

/**
 * Built on the official SDK's generated trading API classes: they take our base URL, send the
 * auth headers, enforce a per-request deadline (body included) and raise typed errors that keep
 * the status and headers. We call their `*Raw` variants and read the body ourselves, so every
 * answer passes our zod schema with Alpaca's snake_case names and string money untouched, and
 * the SDK's own retry and rate limiter stay off (ours is shared across processes, in Redis).
 */
export function createAlpacaClient(opts: AlpacaClientOptions): AlpacaClient {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const configuration = new trading.Configuration({
    basePath: opts.baseUrl.replace(/\/+$/, ''),
    keyId: opts.keyId,
    secret: opts.secretKey,
    timeoutMs,
    ...(opts.userAgent === undefined ? {} : { userAgent: opts.userAgent }),
  });
  const accounts = new trading.AccountsApi(configuration);
  const positions = new trading.PositionsApi(configuration);
  const activities = new trading.AccountActivitiesApi(configuration);
  const history = new trading.PortfolioHistoryApi(configuration);

  async function call<S extends z.ZodType>(
    endpoint: BrokerEndpoint,
    schema: S,
    send: (init: RequestInit) => Promise<RawResponse>,
    callOpts: CallOptions,
  ): Promise<z.output<S>> {
    let tokensLeft: number | undefined;
    let settle: (() => Promise<void>) | undefined;
    if (opts.limiter) {
      const slot = await opts.limiter
        .acquire({
          maxWaitMs: callOpts.maxRateLimitWaitMs ?? opts.maxRateLimitWaitMs ?? DEFAULT_MAX_RATE_LIMIT_WAIT_MS,
          reserveMs: timeoutMs + RESERVE_MARGIN_MS,
          ...(callOpts.signal ? { signal: callOpts.signal } : {}),
        })
        .catch((error: unknown) => {
          throw classifyFailure(error, endpoint);
        });
      if (!slot.granted) {
        throw new BrokerError('rate-limited', endpoint, 'shared rate limit exhausted', {
          resetAt: slot.retryAt,
          local: true,
        });
      }
      tokensLeft = slot.remaining;
      settle = slot.settle;
    }

    const sentAt = Date.now();
    const started = performance.now();
    let status: number | undefined;
    let outcome: BrokerRequestEvent['outcome'] = 'ok';
    try {
      const response = await send(callOpts.signal ? { signal: callOpts.signal } : {});
      status = response.raw.status;
      const text = await response.raw.text();
      await honourRemaining(response.raw.headers);
      return parseBody(endpoint, schema, text, status);
    } catch (error) {
      const failure = classifyFailure(error, endpoint);
      status ??= failure.status;
      outcome = failure.kind;
      if (failure.kind === 'rate-limited' && failure.resetAt !== undefined) {
        await opts.limiter?.block(failure.resetAt - Date.now()).catch(() => undefined);
      }
      throw failure;
    } finally {
      // Bookkeeping must not turn a broker answer into a failure.
      await settle?.().catch(() => undefined);
      opts.onRequest?.({
        endpoint,
        outcome,
        sentAt,
        durationMs: performance.now() - started,
        status,
        tokensLeft,
      });
    }
  }

  /** `X-Ratelimit-Remaining: 0` on a success: the next call would be a 429, so stop until the reset. */
  async function honourRemaining(headers: Headers): Promise<void> {
    if (!opts.limiter) return;
    const { remaining, resetInMs } = readRateLimitHeaders(headers);
    if (remaining === 0 && resetInMs !== undefined)
      await opts.limiter.block(resetInMs).catch(() => undefined);
  }

  return {
    getAccount: (callOpts = {}) =>
      call('account', brokerAccountSchema, (init) => accounts.getAccountRaw(init), callOpts),

    getPositions: (callOpts = {}) =>
      call('positions', brokerPositionsSchema, (init) => positions.getAllOpenPositionsRaw(init), callOpts),

    async listFillActivities(query = {}, callOpts = {}) {
      const pageSize = query.pageSize ?? 100;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
        throw new RangeError('pageSize must be an integer from 1 to 100');
      }
      const out: FillActivity[] = [];
      let pageToken: string | undefined;
      for (let page = 0; query.maxPages === undefined || page < query.maxPages; page += 1) {
        const request = {
          activityType: 'FILL',
          pageSize,
          direction: query.direction ?? 'asc',
          ...(query.after === undefined ? {} : { after: new Date(query.after) }),
          ...(query.until === undefined ? {} : { until: new Date(query.until) }),
          ...(pageToken === undefined ? {} : { pageToken }),
        } as const;
        const items = await call(
          'activities',
          fillActivitiesSchema,
          (init) => activities.getAccountActivitiesByActivityTypeRaw(request, init),
          callOpts,
        );
        out.push(...items);
        // Alpaca pages by the last item's id; a short page is the last one.
        const last = items.at(-1);
        if (items.length < pageSize || last === undefined) break;
        pageToken = last.id;
      }
      return out;
    },

    getPortfolioHistory: (query = {}, callOpts = {}) =>
      call(
        'portfolio_history',
        portfolioHistorySchema,
        (init) =>
          history.getAccountPortfolioHistoryRaw(
            { period: query.period ?? '1A', timeframe: query.timeframe ?? '1D' },
            init,
          ),
        callOpts,
      ),
  };
}

function parseBody<S extends z.ZodType>(endpoint: BrokerEndpoint, schema: S, text: string, status: number) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BrokerError('malformed', endpoint, `HTTP ${status} body is not JSON`, { status });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    // Paths and messages only: a body value is never echoed into logs.
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    throw new BrokerError('malformed', endpoint, `unexpected body (${issues})`, { status });
  }
  return result.data as z.output<S>;
}
