import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@friren/config';
import { redisKeys } from '@friren/contracts';
import { type Orchestrator, start } from '@friren/orchestrator';
import type { AccountManager } from '@friren/orchestrator-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/spawn-app.js';
import { waitUntil } from '../support/wait.js';
import { OwnRedis, pollerWrite, sampleSnapshot } from './support.js';

// Redis of this test's own, so it can be killed; the shared one on 6379 is never touched.
const PREFIX = 'test-orch-outage';
const keys = redisKeys(PREFIX);
const ALIAS = 'crisis';
const TTL_MS = 1_500;

const dir = mkdtempSync(join(tmpdir(), 'friren-outage-'));
let redis: OwnRedis;
let app: Orchestrator;
let manager: AccountManager;

async function withWriter<T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis(url, { maxRetriesPerRequest: 0 });
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${app.url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const codes = (reasons: readonly string[]) => reasons.map((r) => r.slice(0, r.indexOf(':')));

beforeAll(async () => {
  redis = new OwnRedis(await freePort(), dir);
  await redis.start();
  await withWriter(redis.url, (w) =>
    pollerWrite(w, keys, sampleSnapshot(ALIAS, { version: 1 }), { publish: false }),
  );
  const config = loadConfig({
    REDIS_URL: redis.url,
    FRIREN_PREFIX: PREFIX,
    FRIREN_ACCOUNTS: ALIAS,
    SNAPSHOT_REFRESH_MS: '1000',
    SNAPSHOT_MIN_INTERVAL_MS: '500',
    SNAPSHOT_TTL_MS: String(TTL_MS),
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
  app = await start(config, { dashboard: false, risk: {} });
  manager = app.managers.get(ALIAS)!;
});

afterAll(async () => {
  await app?.close();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Redis stopped, then back', () => {
  it('keeps answering crisis reads from memory, stale after the TTL, and says why', async () => {
    expect(manager.getSnapshotNow()).toMatchObject({ known: true, stale: false, origin: 'redis' });
    expect((await manager.isAccountHealthy()).healthy).toBe(true);

    await redis.stop();
    await waitUntil(() => !app.managers.isRedisReachable(), 5_000);

    // Crisis path: answers at once, never throws, still fresh within the TTL.
    const t0 = performance.now();
    for (let i = 0; i < 10_000; i++) manager.getSnapshotNow();
    expect(performance.now() - t0).toBeLessThan(100);
    const during = manager.getSnapshotNow();
    expect(during).toMatchObject({ known: true, source: 'memory', snapshot: { version: 1 } });
    expect(manager.getBuyingPower()).toBe('80000.5');
    expect(manager.checkOrderNow({ symbol: 'AAPL', side: 'buy', quantity: '1', price: '10' }).allowed).toBe(
      true,
    );

    // The async path does not wait for Redis either.
    const t1 = performance.now();
    const asyncRead = await manager.getAccountSnapshot();
    expect(performance.now() - t1).toBeLessThan(100);
    expect(asyncRead).toMatchObject({ known: true, source: 'memory' });
    const health = await manager.isAccountHealthy();
    expect(codes(health.reasons)).toContain('redis_unreachable');
    expect((await manager.requestRefresh()).published).toBe(false);

    const httpHealth = await getJson(`/v1/accounts/${ALIAS}/health`);
    expect(httpHealth.status).toBe(503);
    expect(codes(httpHealth.body.reasons as string[])).toContain('redis_unreachable');
    const ready = await getJson('/readyz');
    expect(ready.status).toBe(503);
    // A trade submitted over HTTP now is refused at once with a hint to retry, never "queued".
    const submit = await fetch(`${app.url}/v1/trades`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        trade_id: 'outage-1',
        account: ALIAS,
        symbol: 'AAPL',
        side: 'buy',
        quantity: '1',
        price: '10',
        timestamp: new Date().toISOString(),
        strategy_used: 's',
      }),
    });
    expect(submit.status).toBe(503);
    expect(submit.headers.get('retry-after')).toBe('1');
    expect(await submit.json()).toMatchObject({ error: 'unavailable' });

    // Past the TTL: still answering, now labelled stale.
    const fetchedAt = during.snapshot!.fetched_at;
    await waitUntil(() => Date.now() > fetchedAt + TTL_MS + 10, 5_000);
    expect(manager.getSnapshotNow()).toMatchObject({ known: true, source: 'memory', stale: true });
    const view = await getJson(`/v1/accounts/${ALIAS}`);
    expect(view.status).toBe(200);
    expect(view.body.freshness).toMatchObject({ source: 'memory', stale: true });
    const viewHealth = view.body.health as { healthy: boolean; reasons: string[] };
    expect(viewHealth.healthy).toBe(false);
    expect(codes(viewHealth.reasons)).toEqual(
      expect.arrayContaining(['redis_unreachable', 'snapshot_stale']),
    );
  });

  it('is fresh again after Redis returns, without a restart (re-read, then re-subscribed)', async () => {
    // What the poller wrote while we were cut off: staged in an RDB the restarted server loads
    // before it accepts a connection, so only a re-read on reconnect can find it (no message).
    const staging = new OwnRedis(await freePort(), dir);
    await staging.start();
    await withWriter(staging.url, async (w) => {
      await pollerWrite(w, keys, sampleSnapshot(ALIAS, { version: 2, cash: '2.00' }), { publish: false });
      await w.save();
    });
    await staging.stop();
    await redis.start();

    await waitUntil(() => manager.getSnapshotNow().snapshot?.version === 2, 10_000);
    expect(manager.getSnapshotNow()).toMatchObject({ origin: 'redis', snapshot: { cash: '2.00' } });
    await waitUntil(() => app.managers.isRedisReachable(), 5_000);

    // The subscription is back: the next write arrives by pub/sub.
    await withWriter(redis.url, (w) =>
      pollerWrite(w, keys, sampleSnapshot(ALIAS, { version: 3, cash: '3.00', fetched_at: Date.now() })),
    );
    await waitUntil(() => manager.getSnapshotNow().snapshot?.version === 3, 2_000);
    expect(manager.getSnapshotNow()).toMatchObject({ source: 'memory', stale: false });
    const health = await getJson(`/v1/accounts/${ALIAS}/health`);
    expect(health).toEqual({ status: 200, body: { healthy: true, reasons: [] } });
    const view = await getJson(`/v1/accounts/${ALIAS}`);
    expect(view.body.freshness).toMatchObject({ source: 'memory', stale: false });
    expect((await getJson('/readyz')).status).toBe(200);
  });
});
