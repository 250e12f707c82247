import type { FieldIssue } from '@friren/contracts';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';

/** Every error body: a stable code, a sentence, and for 400s each offending field. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly FieldIssue[];
}

export function sendError(
  reply: FastifyReply,
  status: number,
  error: string,
  message: string,
  issues?: readonly FieldIssue[],
): FastifyReply {
  const body: ErrorBody = issues === undefined ? { error, message } : { error, message, issues };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

export function sendBadRequest(reply: FastifyReply, issues: readonly FieldIssue[]): FastifyReply {
  const message = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
  return sendError(reply, 400, 'bad_request', message, issues);
}

const CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** Fastify's body parse failures, reported as an issue with the body as a whole. */
const BODY_ERRORS: ReadonlySet<string> = new Set([
  'FST_ERR_CTP_EMPTY_JSON_BODY',
  'FST_ERR_CTP_INVALID_JSON_BODY',
]);

/**
 * Fastify's own 4xx (bad JSON, wrong content type, body too large) keep their status with our
 * body shape; anything else is a 500 whose detail goes to the log, not the client.
 */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const field = BODY_ERRORS.has(err.code) ? '(body)' : undefined;
      const issues = field === undefined ? undefined : [{ field, message: err.message }];
      return sendError(reply, status, CODES[status] ?? 'bad_request', err.message, issues);
    }
    request.log.error({ err, url: request.url, method: request.method }, 'request failed');
    return sendError(reply, 500, 'internal', 'internal error');
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?', 1)[0]}`),
  );
}
