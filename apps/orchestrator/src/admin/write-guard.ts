import type { Logger } from '@friren/observability';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { callerOf } from '../http/auth.js';
import { sendError } from '../http/errors.js';
import { QUEUE_DASHBOARD_WRITE_ENV } from './dashboard-env.js';

/** Reads are GET/HEAD; every other method of the dashboard changes a queue or a job. */
const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

export function isWriteRequest(request: FastifyRequest): boolean {
  return !READ_METHODS.has(request.method);
}

/** The action a write request asks for, from the dashboard's API paths (`…/api/queues/trades/42/update-data`). */
function actionOf(request: FastifyRequest, basePath: string) {
  const path = request.url.split('?', 1)[0] ?? '';
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  return {
    method: request.method,
    path: path.startsWith(basePath) ? path.slice(basePath.length) || '/' : path,
    ...(params.queueName === undefined ? {} : { queue: params.queueName }),
    ...(params.jobId === undefined ? {} : { job: params.jobId }),
  };
}

/**
 * Server-side guard of the dashboard's write routes, whatever its UI shows: refused (403) unless
 * writes are enabled; when they are, each one is logged before it runs (who, what, with the body it
 * sends, e.g. a job's new data) and again with its outcome. Install on the scope the dashboard is
 * registered in, before registering it.
 */
export function guardDashboardWrites(
  scope: FastifyInstance,
  opts: { write: boolean; basePath: string; logger: Logger },
): void {
  const { logger, basePath } = opts;
  scope.addHook('onRequest', async (request, reply) => {
    if (!isWriteRequest(request) || opts.write) return;
    logger.warn(
      { caller: callerOf(request), action: actionOf(request, basePath) },
      'queue dashboard: refused a write action (read-only)',
    );
    return sendError(
      reply,
      403,
      'forbidden',
      `the queue dashboard is read-only; set ${QUEUE_DASHBOARD_WRITE_ENV}=true to allow its write actions`,
    );
  });
  if (!opts.write) return;
  scope.addHook('preHandler', async (request) => {
    if (!isWriteRequest(request)) return;
    logger.warn(
      {
        caller: callerOf(request),
        action: actionOf(request, basePath),
        ...(request.body === undefined ? {} : { body: request.body }),
      },
      'queue dashboard: write action',
    );
  });
  scope.addHook('onResponse', async (request, reply) => {
    if (!isWriteRequest(request)) return;
    logger.warn(
      { caller: callerOf(request), action: actionOf(request, basePath), status: reply.statusCode },
      'queue dashboard: write action done',
    );
  });
}
