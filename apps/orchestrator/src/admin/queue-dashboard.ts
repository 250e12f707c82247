import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { QUEUES } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboard {
  /** Registers the dashboard's routes; call inside the token-protected scope. */
  mount(scope: FastifyInstance): Promise<void>;
  close(): Promise<void>;
}

/**
 * The BullMQ dashboard (`@bull-board`) over the cluster's queues. It gets its own connection:
 * BullMQ wants `maxRetriesPerRequest: null`, which the read path must not have.
 */
export function createQueueDashboard(opts: {
  redisUrl: string;
  prefix: string;
  logger: Logger;
}): QueueDashboard {
  const connection = new Redis(opts.redisUrl, {
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
    async mount(scope) {
      const serverAdapter = new FastifyAdapter();
      serverAdapter.setBasePath(DASHBOARD_PATH);
      createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter });
      await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
    },
    async close() {
      await Promise.allSettled(queues.map((q) => q.close()));
      connection.disconnect();
    },
  };
}
