import { randomUUID } from 'node:crypto';
import { createTradeClient, ReplicationTimeoutError } from '@friren/client';
import { loadConfig, tradeClientTarget } from '@friren/config';
import { openRedis } from '@friren/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTINEL_NAME, SentinelCluster } from '../support/sentinel-cluster.js';
import { waitUntil } from '../support/wait.js';

const cluster = new SentinelCluster();
const PREFIX = `test-sentinel-${randomUUID().slice(0, 8)}`;

const trade = (id: string) => ({
  trade_id: id,
  account: 'default',
  symbol: 'AAPL',
  side: 'buy' as const,
  quantity: '1',
  price: '190',
  timestamp: '2026-12-04T15:00:00Z',
  strategy_used: 's',
});

beforeAll(async () => {
  await cluster.start();
}, 60_000);

afterAll(async () => {
  await cluster.stop();
});

describe('Redis behind Sentinel', () => {
  it('acknowledges a trade only once a replica holds it, and fails loudly when too few can', async () => {
    const config = loadConfig({
      REDIS_SENTINELS: cluster.sentinelList,
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
      FRIREN_PREFIX: PREFIX,
      FRIREN_SUBMIT_REPLICAS_TIMEOUT_MS: '300',
    });
    const client = createTradeClient(tradeClientTarget(config));
    try {
      const r = await client.submit(trade('ack-1'));
      expect(r.status).toBe('queued');
      // On the replica, by itself, the moment submit resolved.
      const replica = openRedis(`redis://127.0.0.1:${cluster.ports.replica}`, null);
      expect(await replica.exists(`${PREFIX}:trades:${r.jobId}`)).toBe(1);
      replica.disconnect();
    } finally {
      await client.close();
    }

    const greedy = createTradeClient({ ...tradeClientTarget(config), replicas: 2 });
    try {
      const t0 = performance.now();
      const err = await greedy.submit(trade('ack-2')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReplicationTimeoutError);
      expect(err).toMatchObject({ wanted: 2, confirmed: 1 });
      // Failed within its timeout, not hung.
      expect(performance.now() - t0).toBeLessThan(3_000);
    } finally {
      await greedy.close();
    }
  });

  it('follows the master through a failover: the same connection writes to the promoted replica', async () => {
    const redis = openRedis('redis://ignored-host:1', {
      sentinels: cluster.sentinels,
      name: SENTINEL_NAME,
    });
    redis.on('error', () => {});
    try {
      await redis.set(`${PREFIX}:before`, '1');
      // What survives a failover is what a replica confirmed (a plain SET may not have reached it).
      expect(await redis.call('WAIT', '1', '2000')).toBe(1);
      const old = await cluster.masterPort();
      expect(old).toBe(cluster.ports.master);
      await cluster.kill(old);
      await waitUntil(async () => (await cluster.masterPort()) === cluster.ports.replica, 30_000, 200);
      await waitUntil(
        async () => {
          try {
            await redis.set(`${PREFIX}:after`, '1');
            return true;
          } catch {
            return false;
          }
        },
        30_000,
        200,
      );
      expect(await redis.get(`${PREFIX}:before`)).toBe('1');
      const info = await redis.info('server');
      expect(info).toContain(`tcp_port:${cluster.ports.replica}`);
    } finally {
      redis.disconnect();
    }
  }, 60_000);
});
