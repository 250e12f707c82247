import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { Counter, createMetrics } from './metrics.js';
import { type OpsServer, type OpsServerOptions, startOpsServer } from './ops-server.js';
import { readinessFromChecks } from './readiness.js';
import { registerSecret } from './secrets.js';

const servers: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function start(opts: Partial<OpsServerOptions> = {}): Promise<OpsServer> {
  const server = await startOpsServer({
    port: 0,
    host: '127.0.0.1',
    registry: createMetrics({ defaultMetrics: false }).registry,
    ...opts,
  });
  servers.push(server);
  return server;
}

describe('startOpsServer', () => {
  it('serves prometheus text with a custom counter on an ephemeral port', async () => {
    const { registry } = createMetrics();
    new Counter({ name: 'friren_test_requests_total', help: 'test', registers: [registry] }).inc(3);
    const server = await start({ registry });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('friren_test_requests_total 3');
    expect(text).toContain('friren_process_cpu_seconds_total');
  });

  it('answers /healthz, HEAD, 404 and 405', async () => {
    const server = await start();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });

    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('is ready until beginShutdown, then 503 at once', async () => {
    const server = await start({ readiness: () => ({ redis: { ok: true } }) });
    const before = await fetch(`${server.url}/readyz`);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ ready: true, checks: { redis: { ok: true } } });

    server.beginShutdown();
    const after = await fetch(`${server.url}/readyz`);
    expect(after.status).toBe(503);
    expect(await after.json()).toEqual({ ready: false, reason: 'shutting down' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('answers 503 naming the failing check', async () => {
    const server = await start({
      readiness: async () => ({ redis: { ok: true }, mysql: { ok: false, detail: 'connection refused' } }),
    });
    const res = await fetch(`${server.url}/readyz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: { redis: { ok: true }, mysql: { ok: false, detail: 'connection refused' } },
    });
  });

  it('answers 503 when readiness throws or takes too long', async () => {
    const throwing = await start({
      readiness: () => {
        throw new Error('boom');
      },
    });
    const thrown = await fetch(`${throwing.url}/readyz`);
    expect(thrown.status).toBe(503);
    expect(await thrown.json()).toEqual({ ready: false, reason: 'readiness check failed' });

    const slow = await start({ readiness: () => new Promise(() => {}), readinessTimeoutMs: 50 });
    const timedOut = await fetch(`${slow.url}/readyz`);
    expect(timedOut.status).toBe(503);
    expect(await timedOut.json()).toEqual({ ready: false, reason: 'readiness check timed out' });
  });

  it('stops listening on close, and close is idempotent', async () => {
    const server = await start();
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('listens on loopback only when no host is given', async () => {
    const server = await startOpsServer({
      port: 0,
      registry: createMetrics({ defaultMetrics: false }).registry,
    });
    servers.push(server);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (external !== undefined) {
      await expect(
        fetch(`http://${external}:${server.port}/healthz`, { signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow();
    }
  });

  it('reports a port already in use', async () => {
    const server = await start();
    await expect(start({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('readinessFromChecks', () => {
  it('names each probe, catches throws, times out and redacts details', async () => {
    registerSecret('probe-secret-3e9');
    const readiness = readinessFromChecks(
      {
        redis: async () => 'PONG',
        mysql: async () => {
          throw new Error('access denied with probe-secret-3e9');
        },
        queue: () => false,
        broker: () => ({ ok: false, detail: 'auth failed' }),
        slow: () => new Promise(() => {}),
      },
      { timeoutMs: 50 },
    );
    expect(await readiness()).toEqual({
      redis: { ok: true },
      mysql: { ok: false, detail: 'access denied with [REDACTED]' },
      queue: { ok: false },
      broker: { ok: false, detail: 'auth failed' },
      slow: { ok: false, detail: 'timed out after 50 ms' },
    });
  });
});
