import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Decimal } from '@friren/contracts';
import { accountJson } from './account-view.js';
import { matchAlpacaRoute } from './alpaca-routes.js';
import { CallLog } from './call-log.js';
import { handleControl } from './control-routes.js';
import { dec, decFromNumber } from './decimal.js';
import { AlpacaApiError, notFound, rateLimitExceeded, unauthorized } from './errors.js';
import { FaultRegistry } from './faults.js';
import { sendJson } from './http-io.js';
import { positionsJson } from './positions-view.js';
import { FixedWindowRateLimiter, type RateLimitState, rateLimitHeaders } from './rate-limiter.js';
import type { AccountPatch } from './schemas.js';
import { DEFAULT_ACCOUNT_SEED, SimState } from './state.js';
import type {
  ActiveSimFault,
  JsonValue,
  SimAccountSeed,
  SimCallCounts,
  SimCallRecord,
  SimCredentials,
  SimFault,
  SimOptions,
} from './types.js';

export interface AlpacaSim {
  /** Starts serving; port 0 picks a free one. */
  listen(port?: number, host?: string): Promise<{ url: string; port: number }>;
  /** Stops serving and destroys every open socket, hung ones included. */
  close(): Promise<void>;
  /** Base URL once listening, else null. */
  readonly url: string | null;
  /** The key pairs the simulator accepts: one per account, more after a key rotation. */
  credentials(): SimCredentials[];
  addAccount(seed: SimAccountSeed): void;
  /** Key rotation: `next` opens the same account as `keyId` (which keeps working until revoked). */
  addKey(keyId: string, next: SimCredentials): void;
  /** Revokes a key: calls with it answer 401 from now on; the account stays reachable by its other keys. */
  revokeKey(keyId: string): void;
  /** Alpaca-named fields: `cash`/`last_equity` change state; others are emitted verbatim (null unsets). */
  setAccount(keyId: string, fields: AccountPatch): void;
  /** What GET /v2/account would answer for this key now. */
  account(keyId: string): Record<string, JsonValue>;
  /** What GET /v2/positions would answer for this key now. */
  positions(keyId: string): Record<string, string | boolean>[];
  setPrice(symbol: string, price: string | number): void;
  /** Moves every price (or `symbols`) by `pct` percent, or sets the given per-symbol prices. */
  driftPrices(change: number | string | Record<string, string | number>, symbols?: string[]): void;
  prices(): Record<string, string>;
  setFault(fault: SimFault): string;
  /** Clears one fault by id, or all of them. */
  clearFaults(id?: string): void;
  faults(): ActiveSimFault[];
  calls(): SimCallCounts;
  callLog(): SimCallRecord[];
  resetCalls(): void;
  /** Opens a fresh rate-limit window for every key. */
  resetRateLimits(): void;
}

const toDecimal = (v: string | number): Decimal => (typeof v === 'number' ? decFromNumber(v) : dec(v));

/** The simulator's pieces, shared with the control routes. */
export interface SimInternals {
  state: SimState;
  faults: FaultRegistry;
  log: CallLog;
  limiter: FixedWindowRateLimiter;
  sim: AlpacaSim;
}

export function createAlpacaSim(options: SimOptions = {}): AlpacaSim {
  const now = options.now ?? Date.now;
  const state = new SimState({
    seed: options.seed ?? 1,
    includeRemovedPdtFields: options.includeRemovedPdtFields ?? false,
    now,
    prices: options.prices ?? {},
  });
  for (const seed of options.accounts?.length ? options.accounts : [DEFAULT_ACCOUNT_SEED])
    state.addAccount(seed);
  const faults = new FaultRegistry();
  const log = new CallLog();
  const limiter = new FixedWindowRateLimiter(options.rateLimitPerMin ?? 200, now);
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let server: Server | undefined;
  let url: string | null = null;
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const sim: AlpacaSim = {
    get url() {
      return url;
    },
    async listen(port = 0, host = '127.0.0.1') {
      if (server) throw new Error('alpaca-sim is already listening');
      closed = false;
      const s = createServer((req, res) => {
        handle(req, res).catch((err: unknown) => {
          sendJson(res, 500, { code: 50010000, message: `simulator error: ${String(err)}` });
        });
      });
      s.on('connection', (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server = s;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      const address = s.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      url = `http://${shownHost}:${address.port}`;
      return { url, port: address.port };
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const s = server;
      server = undefined;
      url = null;
      if (!s) return;
      const done = new Promise<void>((resolve) => s.close(() => resolve()));
      s.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await done;
    },
    credentials: () => state.credentials(),
    addAccount: (seed) => {
      state.addAccount(seed);
    },
    addKey: (keyId, next) => {
      state.addKey(keyId, next);
    },
    revokeKey: (keyId) => {
      state.revokeKey(keyId);
    },
    setAccount: (keyId, fields) => {
      state.patchAccount(keyId, fields);
    },
    account: (keyId) => accountJson(state.requireAccount(keyId), state.prices, state.includeRemovedPdtFields),
    positions: (keyId) => positionsJson(state.requireAccount(keyId).positions.values(), state.prices),
    setPrice: (symbol, price) => state.prices.set(symbol.toUpperCase(), toDecimal(price)),
    driftPrices: (change, symbols) => {
      if (typeof change === 'object') {
        for (const [symbol, price] of Object.entries(change))
          state.prices.set(symbol.toUpperCase(), toDecimal(price));
      } else {
        state.prices.drift(
          toDecimal(change),
          symbols?.map((s) => s.toUpperCase()),
        );
      }
    },
    prices: () => state.prices.snapshot(),
    setFault: (fault) => faults.add(fault),
    clearFaults: (id) => {
      faults.clear(id);
    },
    faults: () => faults.list(),
    calls: () => log.counts(),
    callLog: () => log.records(),
    resetCalls: () => log.reset(),
    resetRateLimits: () => limiter.reset(),
  };

  const internals: SimInternals = { state, faults, log, limiter, sim };

  /**
   * One Alpaca call: count it, add injected latency, apply the rate limit, then an injected fault,
   * then authentication, then the endpoint. A hung call is simply never answered.
   */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    if (url.pathname === '/_sim' || url.pathname.startsWith('/_sim/')) {
      await handleControl(internals, req, res, url);
      return;
    }
    const method = req.method ?? 'GET';
    const keyId = header(req, 'apca-api-key-id');
    const route = matchAlpacaRoute(method, url.pathname);
    const record = log.start({
      at: now(),
      method,
      path: url.pathname,
      endpoint: route.endpoint,
      keyId: keyId ?? null,
    });
    const reply = (status: number, body: unknown, limit: RateLimitState, opts: ReplyOptions = {}) => {
      record.status = status;
      const headers = { ...rateLimitHeaders(limit), ...opts.headers };
      sendJson(res, status, body, { headers, malformed: opts.malformed ?? false });
    };

    const latency = faults.takeLatency(route.endpoint, keyId ?? null);
    if (latency > 0) {
      record.fault = 'latency';
      await sleep(latency);
      if (closed) return;
    }
    const bucket = keyId ?? '';
    const limit = limiter.take(bucket);
    if (!limit.allowed) {
      const err = rateLimitExceeded();
      reply(err.status, err, limit, { headers: { 'Retry-After': String(retryAfter(limit, now())) } });
      return;
    }
    const fault = faults.takeAction(route.endpoint, keyId ?? null);
    if (fault) record.fault = fault.kind;
    switch (fault?.kind) {
      case 'hang':
        return; // keep the socket open: the client's timeout has to fire
      case 'http_error':
        reply(fault.status ?? 500, fault.body ?? { code: 50010000, message: 'internal server error' }, limit);
        return;
      case 'unauthorized': {
        const err = unauthorized();
        reply(err.status, err, limit);
        return;
      }
      case 'rate_limited': {
        const drained = { ...limit, remaining: 0 };
        const err = rateLimitExceeded();
        const wait = fault.retryAfterSec ?? retryAfter(limit, now());
        reply(err.status, err, drained, { headers: { 'Retry-After': String(wait) } });
        return;
      }
      default:
        break;
    }
    const malformed = fault?.kind === 'malformed_json';
    const account = state.authenticate(keyId, header(req, 'apca-api-secret-key'));
    try {
      if (!route.handle) throw notFound('endpoint not found');
      if (!account) throw unauthorized();
      const out = await route.handle({ account, state, url, req });
      reply(out.status, out.body, limit, { malformed });
    } catch (err) {
      const apiError =
        err instanceof AlpacaApiError
          ? err
          : new AlpacaApiError(500, 50010000, `simulator error: ${String(err)}`);
      reply(apiError.status, apiError, limit, { malformed });
    }
  }

  return sim;
}

interface ReplyOptions {
  headers?: Record<string, string>;
  malformed?: boolean;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds until the advertised X-Ratelimit-Reset (whole seconds, rounded up like the header). */
function retryAfter(limit: RateLimitState, nowMs: number): number {
  return Math.max(1, Math.ceil((Math.ceil(limit.resetAtMs / 1000) * 1000 - nowMs) / 1000));
}
