import { randomUUID } from 'node:crypto';
import { JOB_NAMES, QUEUES } from '@friren/contracts';
import { createLogger } from '@friren/observability';
import { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireToken } from '../http/auth.js';
import { dashboardWriteFromEnv } from './dashboard-env.js';
import { createQueueDashboard, DASHBOARD_PATH } from './queue-dashboard.js';

// Real Redis, own prefix; nothing consumes the queue, so a job stays waiting.
const REDIS_URL = 'redis://127.0.0.1:6379';
const PREFIX = `test-orch-dash-${randomUUID().slice(0, 8)}`;
const TOKEN = 'dash-token-0123456789';
const AUTH = { authorization: `Basic ${Buffer.from(`alice:${TOKEN}`).toString('base64')}` };
const TRADE = {
  trade_id: 't-1',
  account: 'main',
  symbol: 'AAPL',
  side: 'buy',
  quantity: '1',
  price: '187.25',
  timestamp: '2026-11-25T14:30:00Z',
  strategy_used: 'momo',
};

let redis: Redis;
let queue: Queue;

/** A server with the dashboard behind the token, as the orchestrator mounts it, and its log lines. */
async function server(write: boolean) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'info',
    destination: { write: (s: string) => lines.push(JSON.parse(s)) },
  });
  const dashboard = createQueueDashboard({ redisUrl: REDIS_URL, prefix: PREFIX, logger, write });
  const app = Fastify() as unknown as FastifyInstance;
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireToken({ token: TOKEN, host: '127.0.0.1' }, 'Basic'));
    await dashboard.mount(scope);
  });
  return {
    app,
    lines,
    async close() {
      await app.close();
      await dashboard.close();
    },
  };
}

const updateData = (app: FastifyInstance, jobId: string, headers: Record<string, string> = AUTH) =>
  app.inject({
    method: 'PATCH',
    url: `${DASHBOARD_PATH}/api/queues/${QUEUES.trades}/${jobId}/update-data`,
    headers: { ...headers, 'content-type': 'application/json' },
    payload: JSON.stringify({ jobData: { ...TRADE, quantity: '1000' } }),
  });

beforeAll(async () => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queue = new Queue(QUEUES.trades, { connection: redis, prefix: PREFIX });
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
});

describe('queue dashboard', () => {
  it('is read-only by default: a valid token cannot rewrite a queued fill, and the attempt is logged', async () => {
    const job = await queue.add(JOB_NAMES.trade, TRADE, { jobId: 'ro-1' });
    const s = await server(false);
    try {
      const res = await updateData(s.app, job.id!);
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/read-only; set FRIREN_QUEUE_DASHBOARD_WRITE=true/);
      expect((await queue.getJob(job.id!))?.data.quantity).toBe('1');
      for (const [method, path] of [
        ['PUT', `/api/queues/${QUEUES.trades}/clean/completed`],
        ['PUT', `/api/queues/${QUEUES.trades}/pause`],
        ['POST', `/api/queues/${QUEUES.trades}/add`],
        ['PUT', `/api/queues/${QUEUES.trades}/${job.id}/retry`],
      ] as const) {
        const r = await s.app.inject({ method, url: DASHBOARD_PATH + path, headers: AUTH });
        expect(r.statusCode, `${method} ${path}`).toBe(403);
      }
      expect(await queue.isPaused()).toBe(false);
      // Reads still work, and the board tells its UI it is read-only.
      const list = await s.app.inject({ method: 'GET', url: `${DASHBOARD_PATH}/api/queues`, headers: AUTH });
      expect(list.statusCode).toBe(200);
      expect(list.json().queues[0].readOnlyMode).toBe(true);
      const refused = s.lines.filter((l) => l.msg === 'queue dashboard: refused a write action (read-only)');
      expect(refused).toHaveLength(5);
      expect(refused[0]).toMatchObject({
        caller: { via: 'basic', user: 'alice' },
        action: { method: 'PATCH', path: `/api/queues/${QUEUES.trades}/ro-1/update-data` },
      });
      expect(JSON.stringify(s.lines)).not.toContain(TOKEN);
    } finally {
      await s.close();
    }
  });

  it('with writes enabled, logs who changed what before and after it runs', async () => {
    const job = await queue.add(JOB_NAMES.trade, TRADE, { jobId: 'rw-1' });
    const s = await server(true);
    try {
      expect((await updateData(s.app, job.id!)).statusCode).toBe(200);
      expect((await queue.getJob(job.id!))?.data.quantity).toBe('1000');
      const before = s.lines.find((l) => l.msg === 'queue dashboard: write action');
      expect(before).toMatchObject({
        caller: { via: 'basic', user: 'alice', ip: '127.0.0.1' },
        action: { method: 'PATCH', queue: QUEUES.trades, job: 'rw-1' },
        body: { jobData: { quantity: '1000' } },
      });
      const after = s.lines.find((l) => l.msg === 'queue dashboard: write action done');
      expect(after).toMatchObject({ action: { job: 'rw-1' }, status: 200 });
      // The token still comes first.
      expect((await updateData(s.app, job.id!, {})).statusCode).toBe(401);
    } finally {
      await s.close();
    }
  });
});

describe('dashboardWriteFromEnv', () => {
  it('is off unless set to true, and refuses anything else', () => {
    expect(dashboardWriteFromEnv({})).toBe(false);
    expect(dashboardWriteFromEnv({ FRIREN_QUEUE_DASHBOARD_WRITE: '' })).toBe(false);
    expect(dashboardWriteFromEnv({ FRIREN_QUEUE_DASHBOARD_WRITE: 'false' })).toBe(false);
    expect(dashboardWriteFromEnv({ FRIREN_QUEUE_DASHBOARD_WRITE: 'TRUE' })).toBe(true);
    expect(() => dashboardWriteFromEnv({ FRIREN_QUEUE_DASHBOARD_WRITE: 'yes' })).toThrow(
      /FRIREN_QUEUE_DASHBOARD_WRITE: must be "true" or "false"/,
    );
  });
});
