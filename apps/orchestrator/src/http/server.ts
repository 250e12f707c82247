import { safeParseWith } from '@friren/contracts';
import type { Logger, ReadinessReport, Registry } from '@friren/observability';
import type { AccountManager, AccountManagers } from '@friren/orchestrator-core';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { accountView } from './account-view.js';
import { type AuthPolicy, requireToken } from './auth.js';
import { installErrorHandlers, sendBadRequest, sendError } from './errors.js';
import { aliasParamsSchema, refreshBodySchema, riskCheckBodySchema } from './schemas.js';
import {
  readSubmissionBody,
  type SubmitMany,
  submissionStatusCode,
  submitTrades,
} from './trade-submission.js';

export interface ServerDeps {
  readonly managers: AccountManagers;
  readonly auth: AuthPolicy;
  readonly logger: Logger;
  /** Served at `/metrics` on the API port too, when given. */
  readonly registry?: Registry;
  readonly readiness: () => ReadinessReport;
  /** Mounts extra token-protected admin routes (the queue dashboard) inside the auth scope. */
  readonly admin?: (scope: FastifyInstance) => Promise<void>;
  /** `POST /v1/trades`: queues through `@friren/client`; absent, the route is not served. */
  readonly trades?: { readonly submitMany: SubmitMany; readonly accounts: readonly string[] };
}

/** Small JSON bodies only: an order is a few dozen bytes. */
const BODY_LIMIT_BYTES = 16 * 1024;
/** `POST /v1/trades`: 1,000 trades with their metadata (at most 4 KiB each) and some slack. */
const TRADES_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** docs/CONTRACT.md §5 on Fastify; every body and parameter is parsed by zod, every error is JSON. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // A log line per request would cost more than the request itself on the read path.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
  }) as unknown as FastifyInstance;
  installErrorHandlers(app);
  // Bodies are JSON only; anything else is 415 rather than a string that fails validation.
  app.removeContentTypeParser('text/plain');
  const { managers } = deps;

  /** The manager for `:alias`, or null after answering 400 (malformed) or 404 (not served here). */
  function accountFor(request: FastifyRequest, reply: FastifyReply): AccountManager | null {
    const params = safeParseWith(aliasParamsSchema, request.params);
    if (!params.ok) {
      sendBadRequest(reply, params.issues);
      return null;
    }
    const manager = managers.get(params.value.alias);
    if (manager === undefined) {
      sendError(reply, 404, 'not_found', `account ${params.value.alias} is not served here`);
      return null;
    }
    return manager;
  }

  app.get('/v1/accounts', async () => ({ accounts: managers.aliases }));

  app.get('/v1/accounts/:alias', async (request, reply) => {
    const manager = accountFor(request, reply);
    if (manager === null) return reply;
    const view = await accountView(manager);
    // Nothing to serve at all is an outage for this account, not an empty success.
    return reply.code(view.snapshot === null ? 503 : 200).send(view);
  });

  app.get('/v1/accounts/:alias/health', async (request, reply) => {
    const manager = accountFor(request, reply);
    if (manager === null) return reply;
    const health = await manager.isAccountHealthy();
    return reply.code(health.healthy ? 200 : 503).send(health);
  });

  app.get('/v1/accounts/:alias/stats', async (request, reply) => {
    const manager = accountFor(request, reply);
    if (manager === null) return reply;
    return reply.send(await manager.getSessionStats());
  });

  await app.register(async (scope) => {
    scope.addHook('onRequest', requireToken(deps.auth, 'Bearer'));

    scope.post('/v1/accounts/:alias/risk-check', async (request, reply) => {
      const manager = accountFor(request, reply);
      if (manager === null) return reply;
      const body = safeParseWith(riskCheckBodySchema, request.body);
      if (!body.ok) return sendBadRequest(reply, body.issues);
      return reply.send(await manager.checkOrder(body.value));
    });

    scope.post('/v1/accounts/:alias/refresh', async (request, reply) => {
      const manager = accountFor(request, reply);
      if (manager === null) return reply;
      const body = safeParseWith(refreshBodySchema, request.body);
      if (!body.ok) return sendBadRequest(reply, body.issues);
      const result = await manager.requestRefresh(body.value?.reason ?? 'http');
      if (!result.published)
        return sendError(reply, 503, 'unavailable', 'redis is unreachable; request not sent');
      return reply.code(202).send({ requested: true, receivers: result.receivers });
    });

    const trades = deps.trades;
    if (trades !== undefined) {
      scope.post('/v1/trades', { bodyLimit: TRADES_BODY_LIMIT_BYTES }, async (request, reply) => {
        const body = readSubmissionBody(request.body);
        if (!body.ok) return sendBadRequest(reply, [{ field: '(body)', message: body.reason }]);
        if (!managers.isRedisReachable())
          return unavailable(reply, 'redis is unreachable; nothing was queued');
        let answer: Awaited<ReturnType<typeof submitTrades>>;
        try {
          answer = await submitTrades(body.items, trades.accounts, trades.submitMany);
        } catch (err) {
          request.log.warn(
            { err: { name: (err as Error).name, message: (err as Error).message } },
            'trade submission failed',
          );
          return unavailable(reply, 'the queue did not confirm the trades; resubmitting is safe');
        }
        return reply.code(submissionStatusCode(answer.counts)).send(answer);
      });
    }
  });

  if (deps.admin !== undefined) {
    const admin = deps.admin;
    await app.register(async (scope) => {
      scope.addHook('onRequest', requireToken(deps.auth, 'Basic'));
      await admin(scope);
    });
  }

  /** 503 with a hint to retry: the engine's resubmission is idempotent per (account, trade_id). */
  function unavailable(reply: FastifyReply, message: string): FastifyReply {
    reply.header('retry-after', '1');
    return sendError(reply, 503, 'unavailable', message);
  }

  // The ops endpoints on the API port as well, for setups that expose one port only.
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = deps.readiness();
    const ready = Object.values(checks).every((c) => c.ok);
    return reply.code(ready ? 200 : 503).send({ ready, checks });
  });
  const registry = deps.registry;
  if (registry !== undefined) {
    app.get('/metrics', async (_request, reply) =>
      reply.type(registry.contentType).send(await registry.metrics()),
    );
  }
  return app;
}
