import { QUEUES } from '@friren/contracts';
import { Counter, Gauge, Histogram, type Registry, withDeadline } from '@friren/observability';
import type { Queue } from 'bullmq';

export interface RecorderMetrics {
  readonly recorded: Counter<'account' | 'strategy'>;
  readonly duplicates: Counter;
  readonly conflicting: Counter<'account'>;
  readonly rejected: Counter<'reason'>;
  readonly commitLatency: Histogram;
  readonly batchSize: Histogram;
  readonly batchDuration: Histogram;
  readonly batchFailures: Counter;
  readonly triggerFailures: Counter;
  /** 1 while a failed commit holds the workers paused until the database answers. */
  readonly paused: Gauge;
}

/**
 * `accounts` are the configured aliases: their conflict counters start at zero, so the first
 * conflict is an increase that `increase()` and the alert can see.
 */
export function createRecorderMetrics(registry: Registry, accounts: Iterable<string> = []): RecorderMetrics {
  const registers = [registry];
  const metrics: RecorderMetrics = {
    recorded: new Counter({
      name: 'friren_trades_recorded_total',
      help: 'Trades added to the ledger (a redelivery adds none and is counted in friren_trades_duplicate_total)',
      labelNames: ['account', 'strategy'],
      registers,
    }),
    duplicates: new Counter({
      name: 'friren_trades_duplicate_total',
      help: 'Acknowledged trades the ledger already held, every field equal, under their (account, trade_id) (a redelivery or resubmission): no row added',
      registers,
    }),
    conflicting: new Counter({
      name: 'friren_trades_conflicting_total',
      help: 'Trades whose (account, trade_id) the ledger holds with other field values: kept in rejected_trades (reason names the recorded trade and the fields), never recorded',
      labelNames: ['account'],
      registers,
    }),
    rejected: new Counter({
      name: 'friren_trades_rejected_total',
      help: 'Invalid trade jobs stored in rejected_trades and failed without retry, by first offending field',
      labelNames: ['reason'],
      registers,
    }),
    commitLatency: new Histogram({
      name: 'friren_trade_commit_latency_seconds',
      help: 'From the job being queued (BullMQ job timestamp) to its batch committing, retries included',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
    batchSize: new Histogram({
      name: 'friren_trade_batch_size',
      help: 'Jobs per group commit (trades and rejections)',
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    }),
    batchDuration: new Histogram({
      name: 'friren_trade_batch_write_seconds',
      help: 'Time to write one batch to the database',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    }),
    batchFailures: new Counter({
      name: 'friren_trade_batch_failures_total',
      help: 'Group commits that failed (database errors); their jobs are retried',
      registers,
    }),
    triggerFailures: new Counter({
      name: 'friren_analytics_trigger_failures_total',
      help: 'Commits after which the analytics job or refresh request could not be sent',
      registers,
    }),
    paused: new Gauge({
      name: 'friren_recorder_paused',
      help: '1 while a failed commit holds this recorder from taking trades until the database answers',
      registers,
    }),
  };
  for (const account of accounts) metrics.conflicting.inc({ account }, 0);
  return metrics;
}

// BullMQ 6 has no separate 'paused' list: a paused queue's jobs stay in 'waiting'.
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
/** Scrapes closer together than this reuse the last counts: a scrape must not hammer Redis. */
const COUNTS_CACHE_MS = 1_000;
const COUNTS_TIMEOUT_MS = 1_000;

/**
 * `friren_queue_jobs{queue,state}`, read from Redis when Prometheus scrapes (a gauge with
 * `collect`), for the trades and analytics queues.
 */
export function registerQueueGauge(registry: Registry, queues: readonly Queue[]): void {
  let cached: { at: number; counts: Map<string, Record<string, number>> } | undefined;
  let inFlight: Promise<Map<string, Record<string, number>>> | undefined;

  async function read(): Promise<Map<string, Record<string, number>>> {
    const entries = await withDeadline(
      Promise.all(queues.map(async (q) => [q.name, await q.getJobCounts(...JOB_STATES)] as const)),
      COUNTS_TIMEOUT_MS,
      'queue counts',
    );
    return new Map(entries);
  }

  new Gauge({
    name: 'friren_queue_jobs',
    help: `Jobs per BullMQ queue and state (${QUEUES.trades}, ${QUEUES.analytics})`,
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      if (!cached || performance.now() - cached.at > COUNTS_CACHE_MS) {
        inFlight ??= read().finally(() => {
          inFlight = undefined;
        });
        try {
          cached = { at: performance.now(), counts: await inFlight };
        } catch {
          // Redis unreachable: keep the last values rather than failing the whole scrape.
          if (!cached) return;
        }
      }
      this.reset();
      for (const [queue, counts] of cached.counts) {
        for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
      }
    },
  });
}
