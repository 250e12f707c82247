import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { start } from '@friren/analytics';
import { createLogger, createMetrics } from '@friren/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, waitUntil } from '../support/wait.js';
import {
  createTestLedger,
  deletePrefix,
  REDIS_URL,
  randomSuffix,
  redisClient,
  type TestLedger,
  testConfig,
} from './helpers.js';

const prefix = `friren-test-analytics-${randomSuffix()}`;
let ledger: TestLedger;

beforeAll(async () => {
  ledger = await createTestLedger();
});

afterAll(async () => {
  const redis = redisClient();
  await deletePrefix(redis, prefix);
  await redis.quit();
  await ledger?.drop();
});

/** A TCP proxy to the test Redis that can be cut (connections dropped, new ones refused) and restored. */
function redisProxy() {
  const target = new URL(REDIS_URL);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = createConnectionTo(target);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  return {
    listen,
    url: () => `redis://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        sockets.clear();
        server!.close(() => resolve());
      }),
  };
}

function createConnectionTo(url: URL): Socket {
  return createConnection(Number(url.port || 6379), url.hostname);
}

describe('analytics logging during a Redis outage', () => {
  it('logs each kind of connection error at most once per 5 s, with how many were suppressed', async () => {
    const proxy = redisProxy();
    await proxy.listen();
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      name: 'analytics-test',
      level: 'warn',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const config = {
      ...testConfig({ mysqlUrl: ledger.url, prefix, accounts: ['quiet'] }),
      redisUrl: proxy.url(),
    };
    const service = await start(config, {
      logger,
      registry: createMetrics({ defaultMetrics: false }).registry,
      settings: { settleMs: 0 },
    });
    try {
      await waitUntil(async () => (await service.readiness())['worker']?.ok === true, 15_000);
      lines.length = 0;
      await proxy.cut();
      await sleep(6_000);
      const during = [...lines];
      await proxy.listen();
      await waitUntil(async () => (await service.readiness())['redis']?.ok === true, 15_000);

      const byMessage = new Map<string, number>();
      for (const l of during) byMessage.set(String(l['msg']), (byMessage.get(String(l['msg'])) ?? 0) + 1);
      expect(byMessage.get('redis connection error')).toBeGreaterThanOrEqual(1);
      // 6 s of reconnect attempts (every 50–2000 ms, on each connection): at most two lines a message.
      expect(Object.fromEntries([...byMessage].filter(([, n]) => n > 2))).toEqual({});
      expect(during.length).toBeLessThanOrEqual(2 * byMessage.size);
      expect(during.every((l) => typeof l['suppressed'] === 'number')).toBe(true);
    } finally {
      await service.close();
    }
  }, 60_000);
});
