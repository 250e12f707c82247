import type { FrirenConfig } from '@friren/config';
import { QUEUES, recomputeJob, redisKeys, TICK_SCHEDULER_ID, tickJob } from '@friren/contracts';
import { createDb, waitForTables } from '@friren/db';
import type { StartOptions as ServiceStartOptions } from '@friren/observability';
import {
  closeInOrder,
  createLogger,
  createMetrics,
  readinessFromChecks,
  type Service,
  type ShutdownStep,
  throttledLog,
} from '@friren/observability';
import { openRedis } from '@friren/redis';
import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { AccountRunner } from './account-runner.js';
import { enqueueRecompute } from './jobs.js';
import { createAnalyticsMetrics } from './metrics.js';
import { createRecomputeProcessor } from './processors/recompute.js';
import { createTickProcessor } from './processors/tick.js';
import type { CachedState, RecomputeContext } from './recompute.js';
import { REQUIRED_TABLES } from './schema-check.js';
import { type AnalyticsSettings, analyticsSettingsFromEnv } from './settings.js';

export type StartOptions = ServiceStartOptions<AnalyticsSettings>;

/** `readiness()` for /readyz and an ordered `close()`: stop taking jobs, finish the running ones, close queue and pools. */
export interface AnalyticsService extends Service {
  /** Runs recomputes in this process (what the worker's jobs call), e.g. for tests and tools. */
  readonly runner: AccountRunner;
}

/**
 * The analytics worker: a BullMQ worker on `analytics` (`recompute {account}` jobs from the
 * recorder and the tick; `tick` from the minute scheduler). Starts consuming once the analytics
 * tables exist; until then /readyz says to run `pnpm migrate`.
 */
export async function start(config: FrirenConfig, opts: StartOptions = {}): Promise<AnalyticsService> {
  const logger = opts.logger ?? createLogger({ name: 'analytics', level: config.logLevel });
  const registry = opts.registry ?? createMetrics().registry;
  const settings: AnalyticsSettings = {
    ...analyticsSettingsFromEnv(opts.env ?? process.env),
    ...opts.settings,
  };
  const accounts = config.accounts.map((a) => a.alias);

  // Each running recompute holds one connection for its transaction and one streaming the ledger.
  const database = createDb(config.mysqlUrl, { poolSize: settings.concurrency * 2 + 1 });
  // BullMQ workers require maxRetriesPerRequest: null (commands wait out a Redis restart).
  const redis = openRedis(config.redisUrl, config.redisSentinel, {
    maxRetriesPerRequest: null,
    connectionName: 'friren-analytics',
  });
  redis.on('error', throttledLog(logger, 'warn', 'redis connection error'));
  const queue = new Queue(QUEUES.analytics, { connection: redis, prefix: config.prefix });
  queue.on('error', throttledLog(logger, 'warn', 'analytics queue error'));

  const ctx: RecomputeContext = {
    database,
    redis,
    keys: redisKeys(config.prefix),
    method: config.pnlMethod,
    settleMs: settings.settleMs,
    checkpointMs: settings.checkpointMs,
    cache: new Map<string, CachedState>(),
    logger,
    metrics: createAnalyticsMetrics(registry, { maxStrategies: settings.metricsMaxStrategies }),
  };
  const runner = new AccountRunner(ctx, { verifyEveryMs: settings.verifyEveryMs });
  const recompute = createRecomputeProcessor(runner);
  const tick = createTickProcessor(queue, accounts);

  let worker: Worker | undefined;
  let closing = false;

  async function startWorker(): Promise<void> {
    await queue.upsertJobScheduler(
      TICK_SCHEDULER_ID,
      { every: settings.tickEveryMs },
      { name: tickJob.name, opts: tickJob.options },
    );
    // Catch up now on trades recorded while no worker ran (their jobs may be lost), not at the next
    // tick; queued before the worker exists, so a failure here retries the whole start.
    await enqueueRecompute(queue, accounts);
    worker = new Worker(
      QUEUES.analytics,
      async (job: Job) => {
        if (job.name === recomputeJob.name) return recompute(job);
        if (job.name === tickJob.name) return tick();
        throw new UnrecoverableError(`unknown analytics job ${JSON.stringify(job.name)}`);
      },
      { connection: redis, prefix: config.prefix, concurrency: settings.concurrency, name: 'analytics' },
    );
    worker.on('error', throttledLog(logger, 'warn', 'worker error'));
    worker.on('failed', (job, error) =>
      logger.error({ err: error, job: job?.id, data: job?.data }, 'analytics job failed'),
    );
    logger.info(
      { ...settings, prefix: config.prefix, accounts, pnlMethod: config.pnlMethod },
      'analytics worker running',
    );
  }

  const tables = waitForTables(database, {
    tables: REQUIRED_TABLES,
    onReady: startWorker,
    onWaiting: (detail) => logger.error({ detail }, 'analytics not consuming yet'),
  });

  const readiness = readinessFromChecks({
    redis: () => redis.ping(),
    database: () => sql`SELECT 1`.execute(database.db),
    schema: () => tables.status(),
    worker: () =>
      worker?.isRunning() ? { ok: true } : { ok: false, detail: closing ? 'shutting down' : 'not started' },
    recomputes: () => runner.recomputeCheck(),
  });

  const steps: ShutdownStep[] = [
    {
      name: 'stop settle waits',
      run: () => {
        closing = true;
        runner.stop();
      },
    },
    // Waits for running recomputes; each is one transaction, so stopping mid-way would only redo it.
    {
      name: 'close worker',
      run: async () => {
        await tables.stop();
        await worker?.close();
      },
    },
    { name: 'checkpoint states', run: () => runner.checkpointAll().then(() => {}) },
    {
      name: 'close queue and redis',
      run: async () => {
        // The scheduler stays: it belongs to every replica, not to this one.
        await queue.close();
        await redis.quit().catch(() => redis.disconnect());
      },
    },
    { name: 'close database pool', run: () => database.close() },
  ];

  let closed: Promise<void> | undefined;
  return {
    runner,
    readiness,
    close() {
      closed ??= closeInOrder(steps, logger);
      return closed;
    },
  };
}
