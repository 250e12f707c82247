import { randomUUID } from 'node:crypto';
import { redisKeys } from '@friren/contracts';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnApp } from '../support/spawn-app.js';
import { deletePrefix, pollerWrite, SHARED_REDIS_URL, sampleSnapshot } from './support.js';

const PREFIX = `test-orch-proc-${randomUUID().slice(0, 8)}`;
const redis = new Redis(SHARED_REDIS_URL);

afterAll(async () => {
  await deletePrefix(redis, PREFIX);
  await redis.quit();
});

describe('apps/orchestrator main', () => {
  it('starts from env, serves API and ops ports, and shuts down cleanly on SIGTERM', async () => {
    await pollerWrite(redis, redisKeys(PREFIX), sampleSnapshot('desk'), { publish: false });
    const [httpPort, opsPort] = [await freePort(), await freePort()];
    const app = spawnApp('orchestrator', {
      REDIS_URL: SHARED_REDIS_URL,
      FRIREN_PREFIX: PREFIX,
      FRIREN_ACCOUNTS: 'desk',
      HTTP_PORT: String(httpPort),
      OPS_PORT: String(opsPort),
    });
    try {
      const line = await app.waitFor(/orchestrator started/);
      expect(line).toContain(`http://127.0.0.1:${httpPort}`);
      const view = await fetch(`http://127.0.0.1:${httpPort}/v1/accounts/desk`);
      expect(view.status).toBe(200);
      expect(((await view.json()) as { snapshot: { equity: string } }).snapshot.equity).toBe('101000.50');
      const ready = await fetch(`http://127.0.0.1:${opsPort}/readyz`);
      expect(ready.status).toBe(200);
      const metrics = await (await fetch(`http://127.0.0.1:${opsPort}/metrics`)).text();
      expect(metrics).toMatch(/friren_cache_reads_total\{account="desk",layer="memory"\} 1/);
      expect(metrics).toContain('friren_account_healthy{account="desk"} 1');
    } finally {
      expect(await app.stop('SIGTERM')).toBe(0);
    }
  });
});
