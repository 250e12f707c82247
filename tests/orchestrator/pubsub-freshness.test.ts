import { randomUUID } from 'node:crypto';
import { redisKeys } from '@friren/contracts';
import { type AccountManager, createAccountManager } from '@friren/orchestrator-core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sleep } from '../support/wait.js';
import { deletePrefix, pollerWrite, SHARED_REDIS_URL, sampleSnapshot } from './support.js';

const PREFIX = `test-orch-pubsub-${randomUUID().slice(0, 8)}`;
const keys = redisKeys(PREFIX);
const ALIAS = 'fresh';

let writer: Redis;
/** The manager's own command connection, passed in so every command it sends can be counted. */
let command: Redis;
let manager: AccountManager;

beforeAll(async () => {
  writer = new Redis(SHARED_REDIS_URL);
  command = new Redis(SHARED_REDIS_URL);
  await pollerWrite(writer, keys, sampleSnapshot(ALIAS, { version: 1 }), { publish: false });
  manager = createAccountManager({ redis: command, prefix: PREFIX, alias: ALIAS, ttlMs: 60_000 });
  await manager.start();
});

afterAll(async () => {
  await manager.close();
  await deletePrefix(writer, PREFIX);
  await Promise.all([writer.quit(), command.quit()]);
});

/** Spins on the crisis read (yielding to I/O) until it sees `version`; returns the elapsed ms. */
async function msUntilVisible(version: number, startedAt: number): Promise<number> {
  for (;;) {
    if (manager.getSnapshotNow().snapshot?.version === version) return performance.now() - startedAt;
    if (performance.now() - startedAt > 1_000) return Number.POSITIVE_INFINITY;
    await new Promise((r) => setImmediate(r));
  }
}

describe('pub/sub keeps the crisis read fresh', () => {
  it('shows each poller write within 50 ms of its PUBLISH', async () => {
    expect(manager.getSnapshotNow()).toMatchObject({ known: true, stale: false, source: 'memory' });
    const latencies: number[] = [];
    for (let v = 2; v <= 21; v++) {
      const s = sampleSnapshot(ALIAS, { version: v, equity: `${100000 + v}.25` });
      await pollerWrite(writer, keys, s, { publish: false });
      const t0 = performance.now();
      const visible = msUntilVisible(v, t0);
      await writer.publish(keys.updatedChannel(ALIAS), JSON.stringify({ kind: 'snapshot', version: v }));
      latencies.push(await visible);
      expect(manager.getEquity()).toBe(`${100000 + v}.25`);
    }
    // Typically ~1 ms (the message, then one HGETALL of the live hash).
    expect(Math.max(...latencies)).toBeLessThan(50);
  });

  it('answers crisis reads without a single Redis command', async () => {
    const sent = vi.spyOn(command, 'sendCommand');
    try {
      let versions = 0;
      for (let i = 0; i < 200_000; i++) versions += manager.getSnapshotNow().snapshot?.version ?? 0;
      for (let i = 0; i < 10_000; i++) {
        manager.getBuyingPower();
        manager.getDayPnl();
        manager.checkOrderNow({ symbol: 'AAPL', side: 'buy', quantity: '1', price: '1' });
      }
      // The async read of a fresh snapshot is a memory hit as well.
      const read = await manager.getAccountSnapshot();
      expect(read.source).toBe('memory');
      expect(versions).toBe(200_000 * 21);
      expect(sent).not.toHaveBeenCalled();
    } finally {
      sent.mockRestore();
    }
  });

  it('costs one background load per update, not one per read', async () => {
    const sent = vi.spyOn(command, 'sendCommand');
    try {
      await pollerWrite(writer, keys, sampleSnapshot(ALIAS, { version: 22 }), { publish: false });
      const visible = msUntilVisible(22, performance.now());
      await writer.publish(keys.updatedChannel(ALIAS), JSON.stringify({ kind: 'snapshot', version: 22 }));
      expect(await visible).toBeLessThan(1_000);
      for (let i = 0; i < 10_000; i++) manager.getSnapshotNow();
      // MULTI, HGETALL snapshot, GET positions, HGETALL poller, EXEC.
      expect(sent.mock.calls.length).toBeLessThanOrEqual(5);
      // A repeated message for the version already held is ignored.
      const before = sent.mock.calls.length;
      await writer.publish(keys.updatedChannel(ALIAS), JSON.stringify({ kind: 'snapshot', version: 22 }));
      await sleep(30);
      expect(sent.mock.calls.length).toBe(before);
    } finally {
      sent.mockRestore();
    }
  });
});
