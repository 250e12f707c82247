import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ReadinessReport } from './readiness.js';
import { redactSecrets } from './secrets.js';

export interface OpsServerOptions {
  /** 0 picks a free port; the chosen one is `OpsServer.port`. */
  readonly port: number;
  /** Listen address; loopback when not given (a container sets OPS_HOST=0.0.0.0 to be scraped). */
  readonly host?: string;
  readonly registry: Registry;
  readonly logger?: Logger;
  /** The checks behind `/readyz`; none means ready while not shutting down. */
  readonly readiness?: () => Promise<ReadinessReport> | ReadinessReport;
  /** How long `/readyz` waits for `readiness` before answering 503; default 5000 ms. */
  readonly readinessTimeoutMs?: number;
}

export interface OpsServer {
  /** The port actually bound. */
  readonly port: number;
  /** A base URL that reaches the server from this host, e.g. `http://127.0.0.1:9101`. */
  readonly url: string;
  /** From now on `/readyz` answers 503, so load balancers stop routing here. */
  beginShutdown(): void;
  /** Stops listening and ends open connections (in-flight requests get a short grace). */
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const CLOSE_GRACE_MS = 2000;
const READINESS_TIMED_OUT = Symbol('timed out');

/** `/metrics`, `/healthz` and `/readyz` on plain node:http: the ops surface of every app. */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const { registry, logger } = opts;
  const readinessTimeoutMs = opts.readinessTimeoutMs ?? 5000;
  let shuttingDown = false;

  function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Cache-Control', 'no-store');
    // Let keep-alive clients go, so close() does not wait on idle sockets.
    if (shuttingDown) res.setHeader('Connection', 'close');
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
    send(req, res, status, JSON_TYPE, JSON.stringify(body));
  }

  async function readyz(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (shuttingDown) return sendJson(req, res, 503, { ready: false, reason: 'shutting down' });
    if (opts.readiness === undefined) return sendJson(req, res, 200, { ready: true, checks: {} });
    let report: ReadinessReport | typeof READINESS_TIMED_OUT;
    let timer: NodeJS.Timeout | undefined;
    try {
      report = await Promise.race([
        Promise.resolve().then(opts.readiness),
        new Promise<typeof READINESS_TIMED_OUT>((resolve) => {
          timer = setTimeout(() => resolve(READINESS_TIMED_OUT), readinessTimeoutMs);
        }),
      ]);
    } catch (error) {
      logger?.warn({ err: error }, 'readiness check threw');
      return sendJson(req, res, 503, { ready: false, reason: 'readiness check failed' });
    } finally {
      clearTimeout(timer);
    }
    if (report === READINESS_TIMED_OUT) {
      return sendJson(req, res, 503, { ready: false, reason: 'readiness check timed out' });
    }
    // The checks may have taken a while; a shutdown begun meanwhile wins.
    if (shuttingDown) return sendJson(req, res, 503, { ready: false, reason: 'shutting down' });
    const checks = Object.fromEntries(
      Object.entries(report).map(([name, check]) => [
        name,
        check.detail === undefined ? { ok: check.ok } : { ok: check.ok, detail: redactSecrets(check.detail) },
      ]),
    );
    const ready = Object.values(checks).every((check) => check.ok);
    sendJson(req, res, ready ? 200 : 503, { ready, checks });
  }

  async function metrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    send(req, res, 200, registry.contentType, await registry.metrics());
  }

  const routes: Readonly<
    Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>
  > = {
    '/metrics': metrics,
    '/healthz': (req, res) => sendJson(req, res, 200, { status: 'ok' }),
    '/readyz': readyz,
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route === undefined) return sendJson(req, res, 404, { error: 'not found' });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendJson(req, res, 405, { error: 'method not allowed' });
    }
    await route(req, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger?.error({ err: error, path: req.url }, 'ops request failed');
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port, host: opts.host ?? '127.0.0.1' }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => logger?.error({ err: error }, 'ops server error'));

  const port = (server.address() as AddressInfo).port;
  const url = `http://${reachableHost(opts.host ?? '127.0.0.1')}:${port}`;
  logger?.info({ url }, 'ops server listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    beginShutdown() {
      shuttingDown = true;
    },
    close() {
      shuttingDown = true;
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function reachableHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
