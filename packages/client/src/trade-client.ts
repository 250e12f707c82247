import {
  type FieldIssue,
  JOB_NAMES,
  parseTradeJob,
  QUEUES,
  type TradeJob,
  type TradeJobInput,
  ValidationError,
} from '@friren/contracts';
import type { SentinelSettings } from '@friren/redis';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createProducerConnection } from './connection.js';
import { withTimeout } from './errors.js';
import { conflictJobId, tradeJobId } from './job-id.js';
import { TRADE_JOB_OPTIONS, type TradeJobOptions } from './job-options.js';
import { ReplicaAck, type ReplicaPolicy } from './replicas.js';
import { queuedDifferences, type SubmitResult, tradeDigest } from './submit-outcome.js';

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
  /** Redis behind Sentinel (`REDIS_SENTINELS`); `redisUrl` then gives only password, db and TLS. */
  readonly sentinel?: SentinelSettings | null;
  /**
   * Replicas a trade must reach before `submit` resolves (`FRIREN_SUBMIT_REPLICAS`; default `auto`:
   * 1 when the master has replicas, else 0), within `replicaTimeoutMs` (default 2000), else
   * ReplicationTimeoutError.
   */
  readonly replicas?: ReplicaPolicy;
  readonly replicaTimeoutMs?: number;
  /** Overrides of the default attempts/backoff/retention (see TRADE_JOB_OPTIONS). */
  readonly jobOptions?: TradeJobOptions;
}

export interface TradeClient {
  /**
   * Validates and queues one fill; says what became of it (see SubmitResult: `queued`,
   * `duplicate`, `rejected` or `conflict`). Throws ValidationError naming every bad field.
   */
  submit(trade: TradeJobInput): Promise<SubmitResult>;
  /**
   * Validates every fill first (nothing is queued if one is bad; issues are named
   * `trades[i].field`), then queues them with `addBulk` in chunks; one result per fill, in order.
   */
  submitMany(trades: readonly TradeJobInput[]): Promise<SubmitResult[]>;
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
  const connection: Redis = createProducerConnection(
    opts.redisUrl,
    opts.connectionName,
    opts.sentinel ?? null,
  );
  const ack = new ReplicaAck(connection, opts.replicas ?? 'auto', opts.replicaTimeoutMs ?? 2_000);
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

  function toBulkJob(trade: TradeJob, timestamp: number, jobId = tradeJobId(trade.account, trade.trade_id)) {
    return { name: JOB_NAMES.trade, data: trade, opts: { ...jobOptions, jobId, timestamp } };
  }

  /** `data` and `timestamp` of each job, null where no such job is held. */
  async function readJobs(
    jobIds: readonly string[],
  ): Promise<({ data: string; timestamp: string } | null)[]> {
    const pipeline = connection.pipeline();
    for (const id of jobIds) pipeline.hmget(queue.toKey(id), 'data', 'timestamp');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([error, reply]) => {
      if (error) throw error;
      const [data, timestamp] = reply as [string | null, string | null];
      return data === null ? null : { data, timestamp: timestamp ?? '' };
    });
  }

  /**
   * Queues `trades` and finds out what each add did: BullMQ silently keeps an existing job whose id
   * is taken, so the held job is read back and compared. A trade conflicting with the held one is
   * queued again under its own conflict id, for the recorder to keep.
   */
  async function place(trades: readonly TradeJob[]): Promise<SubmitResult[]> {
    await queue.waitUntilReady();
    const timestamp = Date.now();
    const jobs = trades.map((t) => toBulkJob(t, timestamp));
    await queue.addBulk(jobs);
    let held = await readJobs(jobs.map((j) => j.opts.jobId));
    // A job gone between the add and the read (completed and removed at once): add again, so the
    // trade is surely queued (should it have been recorded already, the ledger knows it).
    const gone = jobs.filter((_, i) => held[i] === null);
    if (gone.length > 0) {
      await queue.addBulk(gone);
      const again = await readJobs(gone.map((j) => j.opts.jobId));
      let k = 0;
      held = held.map((h) => (h === null ? again[k++]! : h));
    }
    const results: SubmitResult[] = [];
    const conflicts: ReturnType<typeof toBulkJob>[] = [];
    for (const [i, job] of jobs.entries()) {
      const trade = job.data;
      const jobId = job.opts.jobId;
      const h = held[i];
      if (h === null || h === undefined) {
        results.push({ status: 'queued', jobId, trade });
        continue;
      }
      const differences = queuedDifferences(h.data, trade);
      if (differences.length > 0) {
        const copy = toBulkJob(trade, timestamp, conflictJobId(jobId, tradeDigest(trade)));
        conflicts.push(copy);
        results.push({ status: 'conflict', jobId: copy.opts.jobId, trade, queuedJobId: jobId, differences });
      } else if (h.timestamp === String(timestamp)) {
        results.push({ status: 'queued', jobId, trade });
      } else {
        const state = await queue.getJobState(jobId);
        if (state === 'failed') {
          const failed = await queue.getJob(jobId);
          results.push({ status: 'rejected', jobId, trade, failedReason: failed?.failedReason ?? '' });
        } else {
          results.push({ status: 'duplicate', jobId, trade });
        }
      }
    }
    if (conflicts.length > 0) await queue.addBulk(conflicts);
    // Only now is anything "acknowledged": every write above is on the replicas asked for.
    await ack.confirm();
    return results;
  }

  function assertOpen(): void {
    if (closing) throw new Error('trade client is closed');
  }

  return {
    async submit(raw) {
      assertOpen();
      const r = validate(raw);
      if (!r.ok) throw new ValidationError(r.issues, 'trade');
      const [result] = await withTimeout(place([r.value]), timeoutMs);
      return result!;
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
      const results: SubmitResult[] = [];
      for (let i = 0; i < trades.length; i += BULK_CHUNK) {
        results.push(...(await withTimeout(place(trades.slice(i, i + BULK_CHUNK)), timeoutMs)));
      }
      return results;
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
