import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { SimAccount } from './account.js';
import { accountJson } from './account-view.js';
import { pageActivities, parseActivityTypes } from './activities.js';
import { computeBalances } from './balances.js';
import { notFound, unprocessable } from './errors.js';
import { readJsonBody } from './http-io.js';
import { submitOrder } from './orders.js';
import { portfolioHistory } from './portfolio-history.js';
import { positionJson, positionsJson } from './positions-view.js';
import { activitiesQuerySchema, describeIssue, historyQuerySchema, orderRequestSchema } from './schemas.js';
import type { SimState } from './state.js';
import type { SimEndpoint } from './types.js';

export interface AlpacaRequest {
  account: SimAccount;
  state: SimState;
  url: URL;
  req: IncomingMessage;
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  body: unknown;
}

type Handler = (r: AlpacaRequest) => Reply | Promise<Reply>;

interface Route {
  method: 'GET' | 'POST';
  pattern: RegExp;
  names: string[];
  endpoint: SimEndpoint;
  handle: Handler;
}

function route(method: Route['method'], path: string, endpoint: SimEndpoint, handle: Handler): Route {
  const names: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}/?$`), names, endpoint, handle };
}

const ok = (body: unknown): Reply => ({ status: 200, body });

function query<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw unprocessable(describeIssue(parsed.error));
  return parsed.data;
}

function activities(r: AlpacaRequest, pathType: string | undefined): Reply {
  const q = query(r.url, activitiesQuerySchema);
  const raw = pathType ?? q.activity_types;
  const types = raw === undefined ? undefined : parseActivityTypes(raw);
  return ok(pageActivities(r.account.activities, { ...q, types }));
}

const ROUTES: Route[] = [
  route('GET', '/v2/account', 'account', (r) =>
    ok(accountJson(r.account, r.state.prices, r.state.includeRemovedPdtFields)),
  ),
  route('GET', '/v2/positions', 'positions', (r) =>
    ok(positionsJson(r.account.positions.values(), r.state.prices)),
  ),
  route('GET', '/v2/positions/:symbol', 'positions', (r) => {
    const p = r.account.positions.get(decodeURIComponent(r.params['symbol'] ?? '').toUpperCase());
    if (!p) throw notFound('position does not exist');
    return ok(positionJson(p, r.state.prices));
  }),
  route('GET', '/v2/account/activities', 'activities', (r) => activities(r, undefined)),
  route('GET', '/v2/account/activities/:type', 'activities', (r) => activities(r, r.params['type'])),
  route('GET', '/v2/account/portfolio/history', 'portfolio_history', (r) => {
    const q = query(r.url, historyQuerySchema);
    const b = computeBalances(r.account, r.state.prices);
    return ok(
      portfolioHistory({
        ...q,
        equity: b.equity,
        lastEquity: r.account.lastEquity,
        nowMs: r.state.now(),
        seed: r.state.seed,
        accountId: r.account.id,
      }),
    );
  }),
  route('POST', '/v2/orders', 'orders', async (r) => {
    const parsed = orderRequestSchema.safeParse(await readJsonBody(r.req));
    if (!parsed.success) throw unprocessable(describeIssue(parsed.error));
    const order = submitOrder(r.account, parsed.data, {
      prices: r.state.prices,
      nowMs: r.state.now(),
      nextSeq: () => r.state.nextSeq(),
    });
    return ok(order);
  }),
  route('GET', '/v2/orders', 'orders', (r) => {
    const status = r.url.searchParams.get('status') ?? 'open';
    const limit = Math.min(500, Math.max(1, Number(r.url.searchParams.get('limit') ?? 50) || 50));
    const wanted = r.account.orders.filter((o) =>
      status === 'all' ? true : status === 'closed' ? o.status === 'filled' : o.status === 'new',
    );
    return ok(wanted.slice(-limit).reverse());
  }),
  route('GET', '/v2/orders/:order_id', 'orders', (r) => {
    const order = r.account.orders.find((o) => o.id === r.params['order_id']);
    if (!order) throw notFound('order not found');
    return ok(order);
  }),
];

export interface MatchedRoute {
  endpoint: SimEndpoint;
  /** Undefined for an unknown route or method: the caller answers 404. */
  handle: ((r: Omit<AlpacaRequest, 'params'>) => Reply | Promise<Reply>) | undefined;
}

export function matchAlpacaRoute(method: string, pathname: string): MatchedRoute {
  for (const r of ROUTES) {
    const m = r.pattern.exec(pathname);
    if (!m || r.method !== method) continue;
    const params = Object.fromEntries(r.names.map((name, i) => [name, m[i + 1] ?? '']));
    return { endpoint: r.endpoint, handle: (req) => r.handle({ ...req, params }) };
  }
  return { endpoint: 'unknown', handle: undefined };
}
