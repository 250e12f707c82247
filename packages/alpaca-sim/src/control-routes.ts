import type { IncomingMessage, ServerResponse } from 'node:http';
import { AlpacaApiError } from './errors.js';
import { readJsonBody, sendJson } from './http-io.js';
import type { AccountPatch } from './schemas.js';
import { describeIssue, pricesBodySchema } from './schemas.js';
import type { SimInternals } from './sim.js';
import type { SimAccountSeed, SimCredentials, SimFault } from './types.js';

/**
 * Test-only control plane under /_sim/* (no authentication, not counted, not rate limited).
 * Bodies are validated by the same schemas as the in-process API; a bad one answers 422 `{ error }`.
 */
export async function handleControl(
  sim: SimInternals,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const method = req.method ?? 'GET';
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [resource, id, sub] = parts;
  try {
    const out = await dispatch(sim, method, resource, id, sub, parts.length, req);
    if (out === undefined) sendJson(res, 404, { error: `no control route ${method} ${url.pathname}` });
    else sendJson(res, out.status, out.body);
  } catch (err) {
    if (err instanceof RangeError || err instanceof AlpacaApiError)
      sendJson(res, 422, { error: err.message });
    else sendJson(res, 500, { error: String(err) });
  }
}

type Out = { status: number; body: unknown } | undefined;

async function dispatch(
  { sim, state }: SimInternals,
  method: string,
  resource: string | undefined,
  id: string | undefined,
  sub: string | undefined,
  depth: number,
  req: IncomingMessage,
): Promise<Out> {
  const body = () => readJsonBody(req);
  const shape = depth > 3 ? '/+' : depth === 3 ? `/:id/${sub}` : id !== undefined ? '/:id' : '';
  const route = `${method} ${resource ?? ''}${shape}`;
  switch (route) {
    case 'GET faults':
      return { status: 200, body: sim.faults() };
    case 'POST faults':
      return { status: 201, body: { id: sim.setFault((await body()) as SimFault) } };
    case 'DELETE faults': {
      const cleared = sim.faults().length;
      sim.clearFaults();
      return { status: 200, body: { cleared } };
    }
    case 'DELETE faults/:id': {
      const before = sim.faults().length;
      sim.clearFaults(id);
      return { status: 200, body: { cleared: before - sim.faults().length } };
    }
    case 'GET prices':
      return { status: 200, body: sim.prices() };
    case 'POST prices': {
      const parsed = pricesBodySchema.safeParse(await body());
      if (!parsed.success) throw new RangeError(describeIssue(parsed.error));
      const { pct, symbols, prices } = parsed.data;
      for (const [symbol, price] of Object.entries(prices ?? {}))
        state.prices.set(symbol.toUpperCase(), price);
      if (pct !== undefined) state.prices.drift(pct, symbols);
      return { status: 200, body: sim.prices() };
    }
    case 'POST accounts': {
      const seed = (await body()) as SimAccountSeed;
      sim.addAccount(seed);
      return { status: 201, body: sim.account(seed.keyId) };
    }
    case 'GET accounts/:id':
    case 'POST accounts/:id': {
      if (id === undefined || !state.account(id)) return { status: 404, body: { error: `no account ${id}` } };
      if (method === 'POST') sim.setAccount(id, (await body()) as AccountPatch);
      return { status: 200, body: sim.account(id) };
    }
    case 'POST accounts/:id/keys': {
      // Key rotation: the same account under a second key pair (the first works until revoked).
      if (id === undefined || !state.account(id)) return { status: 404, body: { error: `no account ${id}` } };
      const next = (await body()) as SimCredentials;
      state.addKey(id, next);
      return { status: 201, body: { keyId: next.keyId } };
    }
    case 'DELETE keys/:id': {
      if (id === undefined || !state.account(id)) return { status: 404, body: { error: `no key ${id}` } };
      state.revokeKey(id);
      return { status: 200, body: { revoked: id } };
    }
    case 'GET calls':
      return { status: 200, body: { counts: sim.calls(), log: sim.callLog() } };
    case 'DELETE calls':
      sim.resetCalls();
      return { status: 200, body: {} };
    case 'DELETE rate-limits':
      sim.resetRateLimits();
      return { status: 200, body: {} };
    default:
      return undefined;
  }
}
