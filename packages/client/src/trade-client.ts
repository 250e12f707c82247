import {
  type FieldIssue,
  JOB_NAMES,
  parseTradeJob,
  QUEUES,
  type TradeJob,
  type TradeJobInput,
  ValidationError,
} from '@friren/contracts';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createProducerConnection } from './connection.js';
import { withTimeout } from './errors.js';
import { tradeJobId } from './job-id.js';
import { TRADE_JOB_OPTIONS, type TradeJobOptions } from './job-options.js';

export interface TradeClientOptions {
  /** Redis URL (docs/CONTRACT.md §1 `REDIS_URL`). */
  readonly redisUrl: string;
  /** FRIREN_PREFIX: the BullMQ prefix of the `trades` queue. */
  readonly prefix: string;
  /** Accounts the recorder serves; when given, a trade for another account is refused here. */
  readonly accounts?: readonly string[];
  /** How long one submit may wait for Redis before SubmitTimeoutError (default 5000 ms). */
  readonly timeoutMs?: number;
  /** Redis CLIENT name of the connection, to tell producers apart (default `friren-trade-client`). */
  readonly connectionName?: string;
  /** Overrides of the default attempts/backoff/retention (see TRADE_JOB_OPTIONS). */
  readonly jobOptions?: TradeJobOptions;
}

export interface SubmittedTrade {
  /** The BullMQ job id (`tradeJobId(trade_id)`). */
  readonly jobId: string;
  /** The trade as queued: canonical decimal strings, UTC timestamp, fees defaulted. */
  readonly trade: TradeJob;
}

export interface TradeClient {
  /** Validates and queues one fill. Throws ValidationError naming every bad field. */
  submit(trade: TradeJobInput): Promise<SubmittedTrade>;
  /**
   * Validates every fill first (nothing is queued if one is bad; issues are named
   * `trades[i].field`), then queues them with `addBulk` in chunks.
   */
  submitMany(trades: readonly TradeJobInput[]): Promise<SubmittedTrade[]>;
  /** Closes the queue and its connection. */
  close(): Promise<void>;
}

/** Jobs per `addBulk` call (one Redis pipeline each), so a huge array does not build one giant pipeline. */
const BULK_CHUNK = 1000;

/**
 * The producer SDK strategy engines embed. One `Queue` and one Redis connection per client, made
 * once and reused for every call; create one client per process and share it.
 */
export function createTradeClient(opts: TradeClientOptions): TradeClient {
  const connection: Redis = createProducerConnection(opts.redisUrl, opts.connectionName);
  const queue = new Queue(QUEUES.trades, { connection, prefix: opts.prefix });
  // An 'error' event without a listener would crash the host process; the failing call reports it.
  queue.on('error', () => {});
  connection.on('error', () => {});
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const jobOptions = { ...TRADE_JOB_OPTIONS, ...opts.jobOptions };
  const parseOptions = opts.accounts ? { accounts: opts.accounts } : {};
  let closing: Promise<void> | undefined;

  function validate(
    raw: TradeJobInput,
  ): { ok: true; value: TradeJob } | { ok: false; issues: readonly FieldIssue[] } {
    const r = parseTradeJob(raw, parseOptions);
    return r.ok ? r : { ok: false, issues: r.issues };
  }

  function toBulkJob(trade: TradeJob) {
    return { name: JOB_NAMES.trade, data: trade, opts: { ...jobOptions, jobId: tradeJobId(trade.trade_id) } };
  }

  function assertOpen(): void {
    if (closing) throw new Error('trade client is closed');
  }

  return {
    async submit(raw) {
      assertOpen();
      const r = validate(raw);
      if (!r.ok) throw new ValidationError(r.issues, 'trade');
      const job = toBulkJob(r.value);
      await withTimeout(
        queue.waitUntilReady().then(() => queue.add(job.name, job.data, job.opts)),
        timeoutMs,
      );
      return { jobId: job.opts.jobId, trade: r.value };
    },

    async submitMany(raws) {
      assertOpen();
      const trades: TradeJob[] = [];
      const issues: FieldIssue[] = [];
      raws.forEach((raw, i) => {
        const r = validate(raw);
        if (r.ok) trades.push(r.value);
        else
          for (const issue of r.issues)
            issues.push({ field: `trades[${i}].${issue.field}`, message: issue.message });
      });
      if (issues.length > 0) throw new ValidationError(issues, 'trades');
      const jobs = trades.map(toBulkJob);
      for (let i = 0; i < jobs.length; i += BULK_CHUNK) {
        const chunk = jobs.slice(i, i + BULK_CHUNK);
        await withTimeout(
          queue.waitUntilReady().then(() => queue.addBulk(chunk)),
          timeoutMs,
        );
      }
      return jobs.map((job) => ({ jobId: job.opts.jobId, trade: job.data }));
    },

    close() {
      closing ??= (async () => {
        await queue.close();
        // The Queue leaves a caller-supplied connection open; this one is ours.
        await connection.quit().catch(() => connection.disconnect());
      })();
      return closing;
    },
  };
}
