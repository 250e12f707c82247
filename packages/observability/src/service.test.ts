import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { startOpsServer } from './ops-server.js';
import { describeLoadError, type ServedService, serveService, serviceShutdownSteps } from './service.js';
import { closeInOrder, runShutdownSteps } from './shutdown.js';
import { captureLines } from './test-support.js';

const logger = createLogger({ name: 'service-test', destination: captureLines().destination });
const config = { opsPort: 0, opsHost: '127.0.0.1', logLevel: 'info' };
const deps = () => ({ logger, registry: createMetrics({ defaultMetrics: false }).registry, env: {} });

describe('serveService', () => {
  it('serves the app’s readiness on its ops port and hands it the deps', async () => {
    let seen: unknown;
    const served = await serveService(
      'demo',
      config,
      async (_c, d) => {
        seen = d.env;
        return { readiness: () => ({ redis: { ok: false, detail: 'down' } }), close: async () => {} };
      },
      deps(),
    );
    try {
      expect(seen).toEqual({});
      const res = await fetch(`${served.ops.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ready: false, checks: { redis: { ok: false, detail: 'down' } } });
    } finally {
      await served.ops.close();
    }
  });

  it('closes the app again when its ops port is taken, and rethrows', async () => {
    const taken = await startOpsServer({
      port: 0,
      registry: createMetrics({ defaultMetrics: false }).registry,
    });
    let closed = 0;
    try {
      await expect(
        serveService(
          'demo',
          { ...config, opsPort: taken.port },
          async () => ({
            readiness: () => ({}),
            close: async () => void closed++,
          }),
          deps(),
        ),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(closed).toBe(1);
    } finally {
      await taken.close();
    }
  });
});

describe('serviceShutdownSteps', () => {
  it('fails every /readyz, closes the apps newest first, then the ops servers', async () => {
    const order: string[] = [];
    const fake = (name: string): ServedService => ({
      name,
      service: { readiness: () => ({}), close: async () => void order.push(`close ${name}`) },
      ops: {
        port: 0,
        url: '',
        beginShutdown: () => void order.push(`not ready ${name}`),
        close: async () => void order.push(`ops ${name}`),
      },
    });
    const steps = serviceShutdownSteps([fake('orchestrator'), fake('recorder'), fake('poller')]);
    expect(steps.map((s) => s.name)).toEqual([
      'mark not ready',
      'close poller',
      'close recorder',
      'close orchestrator',
      'close ops servers',
    ]);
    await runShutdownSteps(steps, 1000, logger);
    expect(order).toEqual([
      'not ready orchestrator',
      'not ready recorder',
      'not ready poller',
      'close poller',
      'close recorder',
      'close orchestrator',
      'ops orchestrator',
      'ops recorder',
      'ops poller',
    ]);
  });
});

describe('closeInOrder', () => {
  it('runs every step after a failing one, with no deadline of its own', async () => {
    const ran: string[] = [];
    await closeInOrder(
      [
        { name: 'a', run: () => void ran.push('a') },
        {
          name: 'b',
          run: () => {
            throw new Error('b failed');
          },
        },
        { name: 'c', run: () => new Promise<void>((r) => setTimeout(() => r(void ran.push('c')), 30)) },
      ],
      logger,
    );
    expect(ran).toEqual(['a', 'c']);
  });
});

describe('describeLoadError', () => {
  it('puts every configuration issue on one line', () => {
    const error = Object.assign(new Error('Invalid configuration (A, B):\n  A: bad\n  B: worse'), {
      issues: [
        { variable: 'A', message: 'bad' },
        { variable: 'B', message: 'worse' },
      ],
    });
    expect(describeLoadError(error)).toBe('invalid configuration: A: bad; B: worse');
  });

  it('keeps any other error to its message, on one line', () => {
    expect(describeLoadError(new Error('first\n  second'))).toBe('first; second');
  });
});
