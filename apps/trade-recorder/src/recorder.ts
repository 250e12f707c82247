import type { FrirenConfig } from '@friren/config';
import { QUEUES } from '@friren/contracts';
import { createDb, waitForTables } from '@friren/db';
import type { StartOptions as ServiceStartOptions } from '@friren/observability';
import {
  closeInOrder,
  createLogger,
  createMetrics,
  type ReadinessReport,
  readinessFromChecks,
  type Service,
  type ShutdownStep,
  throttledLog,
} from '@friren/observability';
import { openRedis } from '@friren/redis';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAnalyticsTrigger } from './analytics-trigger.js';
import { BatchWriter } from './batch-writer.js';
import { CommitBreaker } from './commit-breaker.js';
import { createLedgerWriter, type LedgerItem, type LedgerResult } from './ledger-writer.js';
import { createRecorderMetrics, registerQueueGauge } from './metrics.js';
import { createTradeProcessor } from './processors/trade.js';
import { databaseProbe, pingDatabase, redisProbe } from './readiness.js';
import { REQUIRED_TABLES } from './schema-check.js';
import { DEFAULT_RECORDER_SETTINGS, type RecorderSettings, recorderSettingsFromEnv } from './settings.js';

export type StartOptions = ServiceStartOptions<RecorderSettings>;

export interface TradeRecorder extends Service {
  /** The checks behind /readyz. */
  readiness(): Promise<ReadinessReport>;
  /** Ordered graceful shutdown; safe to call twice. */
  close(): Promise<void>;
}

/** While a commit has failed: how often the database is probed before the workers resume. */
const BREAKER_PROBE_MS = 1_000;

/**
 * The trade recorder: BullMQ workers on `trades` feeding a group-commit BatchWriter. Returns at
 * once; the workers start as soon as the ledger tables exist (until then readiness names what is
 * missing and the log says to run `pnpm migrate`).
 */
export async function start(config: FrirenConfig, opts: StartOptions = {}): Promise<TradeRecorder> {
  const logger = opts.logger ?? createLogger({ name: 'trade-recorder', level: config.logLevel });
  const registry = opts.registry ?? createMetrics().registry;
  const settings: RecorderSettings = {
    ...(opts.settings ? DEFAULT_RECORDER_SETTINGS : recorderSettingsFromEnv(opts.env ?? process.env)),
    ...opts.settings,
  };
  const accounts = new Set(config.accounts.map((a) => a.alias));

  const database = createDb(config.mysqlUrl, { poolSize: settings.batchesInFlight + 2 });
  // One connection for the app's own commands; each Worker duplicates it for its fetch loop.
  // BullMQ workers require maxRetriesPerRequest: null (commands wait out a Redis restart).
  const redis = openRedis(config.redisUrl, config.redisSentinel, {
    maxRetriesPerRequest: null,
    connectionName: 'friren-trade-recorder',
  });
  redis.on('error', throttledLog(logger, 'warn', 'redis connection error'));
  const commitFailed = throttledLog(logger, 'error', 'group commit failed; its jobs will be retried');
  const workerError = throttledLog(logger, 'warn', 'worker error');

  const metrics = createRecorderMetrics(registry, accounts);
  const trigger = createAnalyticsTrigger({
    redis,
    prefix: config.prefix,
    logger,
    onFailure: () => metrics.triggerFailures.inc(),
  });
  const tradesQueue = new Queue(QUEUES.trades, { connection: redis, prefix: config.prefix });
  const analyticsQueue = new Queue(QUEUES.analytics, { connection: redis, prefix: config.prefix });
  for (const q of [tradesQueue, analyticsQueue]) q.on('error', () => {});
  registerQueueGauge(registry, [tradesQueue, analyticsQueue]);

  const workers: Worker[] = [];
  // A failed commit pauses the workers until the database answers again: during an outage new
  // trades wait in the queue rather than each failing, retrying and costing CPU (see commit-breaker).
  const breaker = new CommitBreaker({
    probeMs: BREAKER_PROBE_MS,
    probe: () => pingDatabase(database),
    pause: () => Promise.all(workers.map((w) => w.pause(true))).then(() => {}),
    resume: () => Promise.all(workers.map((w) => w.resume())).then(() => {}),
    onChange: (open) => {
      metrics.paused.set(open ? 1 : 0);
      if (open) logger.warn('ledger write failed; not taking trades until the database answers');
      else logger.info('database answers again; taking trades');
    },
  });
  const writer = new BatchWriter<LedgerItem, LedgerResult>({
    maxItems: settings.batchSize,
    maxWaitMs: settings.batchMs,
    maxInFlight: settings.batchesInFlight,
    write: onFailure(createLedgerWriter({ db: database.db, metrics, trigger }), (error) => {
      commitFailed(error);
      breaker.trip();
    }),
  });
  const processor = createTradeProcessor({
    writer,
    accounts,
    metrics,
    logger,
    maxFutureSkewMs: settings.maxFutureSkewMs,
  });

  let closing = false;

  function startWorkers(): void {
    for (let i = 0; i < settings.workers; i++) {
      const worker = new Worker(QUEUES.trades, processor, {
        connection: redis,
        prefix: config.prefix,
        concurrency: settings.concurrency,
        name: `trade-recorder-${i}`,
        lockDuration: settings.lockMs,
        stalledInterval: settings.lockMs,
        // Processing is idempotent, so a job caught in several crashes is redelivered, not failed.
        maxStalledCount: 1000,
      });
      worker.on('error', workerError);
      workers.push(worker);
    }
    logger.info({ ...settings, prefix: config.prefix, accounts: [...accounts] }, 'recording trades');
  }

  const tables = waitForTables(database, {
    tables: REQUIRED_TABLES,
    onReady: startWorkers,
    onWaiting: (detail) => logger.error({ detail }, 'ledger not ready; not consuming trades yet'),
  });

  const readiness = readinessFromChecks({
    redis: redisProbe(redis),
    database: databaseProbe(database),
    schema: () => tables.status(),
    workers: () => {
      if (closing) return { ok: false, detail: 'shutting down' };
      if (breaker.isOpen) return { ok: false, detail: 'paused until the database answers' };
      return workers.length > 0 && workers.every((w) => w.isRunning())
        ? { ok: true }
        : { ok: false, detail: 'not started' };
    },
  });

  const steps: ShutdownStep[] = [
    {
      name: 'stop waiting for tables',
      run: () => {
        closing = true;
        return tables.stop();
      },
    },
    { name: 'stop commit breaker', run: () => breaker.stop() },
    { name: 'stop fetching', run: () => Promise.all(workers.map((w) => w.pause(true))).then(() => {}) },
    { name: 'flush batch', run: () => writer.drain() },
    { name: 'close workers', run: () => Promise.all(workers.map((w) => w.close())).then(() => {}) },
    { name: 'close batch writer', run: () => writer.close() },
    {
      name: 'close queues and redis',
      run: async () => {
        await Promise.all([trigger.close(), tradesQueue.close(), analyticsQueue.close()]);
        await redis.quit().catch(() => redis.disconnect());
      },
    },
    { name: 'close database pool', run: () => database.close() },
  ];
  let closed: Promise<void> | undefined;
  return {
    readiness,
    close() {
      closed ??= closeInOrder(steps, logger);
      return closed;
    },
  };
}

function onFailure<A, R>(write: (items: A) => Promise<R>, failed: (error: unknown) => void) {
  return async (items: A): Promise<R> => {
    try {
      return await write(items);
    } catch (error) {
      failed(error);
      throw error;
    }
  };
}
