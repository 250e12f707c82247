import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { QUEUES } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import { openRedis, type SentinelSettings } from '@friren/redis';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { guardDashboardWrites } from './write-guard.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboard {
  /** Whether its write actions (retry, clean, edit a job …) are allowed. */
  readonly write: boolean;
  /** Registers the dashboard's routes; call inside the token-protected scope. */
  mount(scope: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

/**
 * The BullMQ dashboard (`@bull-board`) over the cluster's queues, read-only unless `write` (the
 * orchestrator passes FRIREN_QUEUE_DASHBOARD_WRITE from the environment it was started with): a
 * job's data is a fill on its way to the ledger, and editing it there would record a trade nobody
 * made. It gets its own connection: BullMQ wants
 * `maxRetriesPerRequest: null`, which the read path must not have.
 */
export function createQueueDashboard(opts: {
  redisUrl: string;
  sentinel?: SentinelSettings | null;
  prefix: string;
  logger: Logger;
  write: boolean;
}): QueueDashboard {
  const write = opts.write;
  const connection = openRedis(opts.redisUrl, opts.sentinel, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectionName: 'friren-orchestrator-dashboard',
  });
  let warned = false;
  connection.on('error', (err) => {
    if (!warned) opts.logger.warn({ err }, 'queue dashboard cannot reach redis');
    warned = true;
  });
  connection.on('ready', () => {
    warned = false;
  });
  const queues = [QUEUES.trades, QUEUES.analytics].map(
    (name) => new Queue(name, { connection, prefix: opts.prefix }),
  );
  for (const q of queues) q.on('error', () => {});

  return {
    write,
    async mount(scope) {
      guardDashboardWrites(scope, { write, basePath: DASHBOARD_PATH, logger: opts.logger });
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(DASHBOARD_PATH);
      createBullBoard({
        // The UI hides its write buttons too; the guard above refuses the routes either way.
        queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: !write })),
        serverAdapter,
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
      if (write) opts.logger.warn({ path: DASHBOARD_PATH }, 'queue dashboard write actions are enabled');
    },
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
