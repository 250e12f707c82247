import { type AlpacaClient, type BrokerRequestEvent, isBrokerError } from '@friren/alpaca';
import type { AlpacaCredentials, SnapshotConfig } from '@friren/config';
import type { RedisKeys, SnapshotSource } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import type { Redis } from 'ioredis';
import { writeHistory } from './history-writer.js';
import { Lease } from './lease.js';
import type { PollerMetrics } from './metrics.js';
import {
  type CadenceSettings,
  firstFetchAt,
  nextAfterFailure,
  nextAfterSuccess,
  type Random,
  refreshFetchAt,
} from './schedule.js';
import { snapshotFields } from './snapshot-fields.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { type PollerState, STATUS } from './status-fields.js';
import { type CallCounters, StatusWriter } from './status-writer.js';
import type { PollerTuning } from './tuning.js';

export interface AccountPollerDeps {
  readonly alias: string;
  /** The credentials to start with; `useCredentials` swaps in rotated ones. */
  readonly credentials: AlpacaCredentials;
  /** Builds this account's broker client for a key pair, reporting each HTTP request to the poller. */
  readonly createClient: (
    credentials: AlpacaCredentials,
    onRequest: (e: BrokerRequestEvent) => void,
  ) => AlpacaClient;
  readonly redis: Redis;
  readonly keys: RedisKeys;
  /** This process's instance id: the lease holder and the status hash's `leader`. */
  readonly holder: string;
  readonly source: SnapshotSource;
  readonly snapshot: SnapshotConfig;
  readonly historyRefreshMs: number;
  readonly tuning: PollerTuning;
  readonly metrics: PollerMetrics;
  readonly logger: Logger;
  readonly random?: Random;
}

/**
 * One account in one process: competes for the account's lease and, while it leads, fetches the
 * account on the cadence of schedule.ts, writes snapshots, keeps the status hash current and
 * answers refresh requests. Followers only retry the lease.
 */
export class AccountPoller {
  private readonly alias: string;
  private client: AlpacaClient;
  /** +1 per credential swap, so a refusal of the previous key pair is not held against the new one. */
  private credentialsGeneration = 0;
  private readonly lease: Lease;
  private readonly writer: SnapshotWriter;
  private readonly status: StatusWriter;
  private readonly cadence: CadenceSettings;
  private readonly log: Logger;
  private readonly random: Random;
  private readonly abort = new AbortController();

  private leader = false;
  /** The lease is ours until at least this time (counted from the start of the last renewal). */
  private leaseValidUntil = 0;
  private leaseTimer: NodeJS.Timeout | undefined;
  private leaseTick: Promise<void> | null = null;
  private fetchTimer: NodeJS.Timeout | undefined;
  private fetchDueAt: number | null = null;
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  /**
   * Set by a 401/403: the one time this process calls the broker for this account again (a probe
   * with the same credentials), unless new credentials come first. Null while not refused.
   */
  private authProbeAt: number | null = null;
  /** Refusals since the credentials last worked: the probe wait doubles with each. */
  private authRefusals = 0;
  private refreshPending = false;
  /** When the previous fetch (by any leader) finished; a successor knows only when it started. */
  private lastDoneAt: number | null = null;
  private consecutiveFailures = 0;
  private historyDueAt = 0;
  private counters: CallCounters = { brokerCalls: 0, rateLimited: 0 };

  constructor(private readonly deps: AccountPollerDeps) {
    this.alias = deps.alias;
    this.log = deps.logger.child({ account: deps.alias });
    this.random = deps.random ?? Math.random;
    this.client = this.buildClient(deps.credentials);
    this.lease = new Lease(
      deps.redis,
      deps.keys.pollerLease(deps.alias),
      deps.keys.poller(deps.alias),
      deps.holder,
      deps.tuning.leaseMs,
    );
    this.writer = new SnapshotWriter(deps.redis, deps.keys, deps.alias, deps.snapshot.ttlMs);
    this.status = new StatusWriter(deps.redis, deps.keys, deps.alias);
    this.cadence = {
      refreshMs: deps.snapshot.refreshMs,
      minIntervalMs: deps.snapshot.minIntervalMs,
      maxBackoffMs: deps.tuning.maxBackoffMs,
      phaseJitterMs: deps.tuning.phaseJitterMs,
      refreshCoalesceMs: deps.tuning.refreshCoalesceMs,
    };
    deps.metrics.setLeader(deps.alias, false);
    deps.metrics.trackAccount(deps.alias);
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.scheduleLeaseTick(0);
  }

  /**
   * New credentials (a rotated secret file): every later call uses them. An auth stop is lifted at
   * once, so one call tells whether the broker takes them, without waiting for the next probe.
   */
  useCredentials(credentials: AlpacaCredentials): void {
    if (this.closed) return;
    this.client = this.buildClient(credentials);
    this.credentialsGeneration += 1;
    if (this.authProbeAt === null) {
      this.log.info('credentials changed; the next call uses them');
      return;
    }
    this.authProbeAt = null;
    this.authRefusals = 0;
    this.log.info('credentials changed while the broker refused the previous ones; trying them now');
    if (this.leader) this.scheduleFetch(refreshFetchAt(Date.now(), this.lastDoneAt, this.cadence), true);
  }

  /**
   * A message on `P:account:A:refresh`. The leader fetches soon, coalescing bursts, never within
   * SNAPSHOT_MIN_INTERVAL_MS of its previous call. While the broker is failing the backoff wins:
   * a crisis must not turn into a stream of calls to a broker that is down.
   */
  requestRefresh(): void {
    if (!this.leader || this.closed || this.authProbeAt !== null || this.consecutiveFailures > 0) return;
    if (this.inFlight) {
      this.refreshPending = true;
      return;
    }
    this.scheduleFetch(refreshFetchAt(Date.now(), this.lastDoneAt, this.cadence), true);
  }

  /** Stops scheduling, abandons any broker call in flight and releases the lease. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.leaseTimer);
    clearTimeout(this.fetchTimer);
    this.abort.abort();
    await Promise.allSettled([this.inFlight, this.leaseTick]);
    if (this.leader) {
      this.leader = false;
      this.deps.metrics.setLeader(this.alias, false);
      await this.status.set({}, this.takeCounters()).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not record the last broker calls');
      });
    }
    // Compare-and-delete, so also safe when a lease tick won the lease just as we closed. A
    // successor then takes over at once instead of waiting for the lease to expire.
    if (await this.lease.release()) this.log.info('lease released');
  }

  // --- leadership ---------------------------------------------------------------------------

  private scheduleLeaseTick(delayMs: number): void {
    if (this.closed) return;
    this.leaseTimer = setTimeout(() => {
      this.leaseTick = this.runLeaseTick().finally(() => {
        this.leaseTick = null;
      });
    }, delayMs);
  }

  private async runLeaseTick(): Promise<void> {
    const { leaseMs, renewEveryMs } = this.deps.tuning;
    let nextInMs = renewEveryMs;
    const started = Date.now();
    try {
      if (this.leader) {
        if (await this.lease.renew()) {
          this.leaseValidUntil = started + leaseMs;
        } else {
          this.log.warn('lease lost to another instance');
          this.stepDown();
        }
      } else {
        const attempt = await this.lease.tryAcquire();
        if (attempt.held && !this.closed) {
          this.leaseValidUntil = started + leaseMs;
          await this.becomeLeader();
        } else if (!attempt.held) {
          // Try again right when the holder's lease would expire, if that is sooner.
          nextInMs = Math.min(renewEveryMs, attempt.retryInMs + 1);
        }
      }
    } catch (error) {
      this.log.warn({ err: error }, 'lease check failed');
      if (this.leader && Date.now() >= this.leaseValidUntil) {
        this.log.warn('lease expired without renewal; stepping down');
        this.stepDown();
      }
    } finally {
      this.scheduleLeaseTick(nextInMs);
    }
  }

  private async becomeLeader(): Promise<void> {
    const now = Date.now();
    const resume = await this.status.claimLeadership(this.deps.holder, now);
    if (this.closed) return;
    this.leader = true;
    this.deps.metrics.setLeader(this.alias, true);
    this.lastDoneAt = resume.lastAttemptAt;
    this.consecutiveFailures = resume.consecutiveFailures;
    this.historyDueAt =
      resume.historyFetchedAt === null ? 0 : resume.historyFetchedAt + this.deps.historyRefreshMs;
    const firstAt = firstFetchAt(now, resume.lastAttemptAt, this.cadence, this.random);
    this.log.info({ firstFetchInMs: firstAt - now }, 'became leader');
    this.scheduleFetch(firstAt);
  }

  private stepDown(): void {
    this.leader = false;
    this.refreshPending = false;
    clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    this.fetchDueAt = null;
    this.deps.metrics.setLeader(this.alias, false);
  }

  // --- fetching -----------------------------------------------------------------------------

  /** Plans the next fetch at `at`; with `onlyIfEarlier`, keeps an already planned earlier one. */
  private scheduleFetch(planned: number, onlyIfEarlier = false): void {
    if (!this.leader || this.closed) return;
    // While the credentials are refused, the next call is the probe, whoever asks for one sooner.
    const at = this.authProbeAt === null ? planned : Math.max(planned, this.authProbeAt);
    if (onlyIfEarlier && this.fetchDueAt !== null && this.fetchDueAt <= at) return;
    clearTimeout(this.fetchTimer);
    this.fetchDueAt = at;
    this.fetchTimer = setTimeout(
      () => {
        this.fetchTimer = undefined;
        this.fetchDueAt = null;
        if (this.inFlight) return;
        this.inFlight = this.fetch(at).finally(() => {
          this.inFlight = null;
        });
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** One planned fetch; `dueAt` is the time it was planned for (the cadence grid). */
  private async fetch(dueAt: number): Promise<void> {
    if (!this.leader || this.closed) return;
    if (this.authProbeAt !== null && Date.now() < this.authProbeAt) {
      // Refused credentials are never called before the probe is due, whatever planned this fetch.
      this.scheduleFetch(this.authProbeAt);
      return;
    }
    if (Date.now() >= this.leaseValidUntil) {
      this.log.warn('lease not confirmed in time; not fetching');
      this.stepDown();
      return;
    }
    const attemptAt = Date.now();
    this.refreshPending = false;
    const generation = this.credentialsGeneration;
    let failure: { error: unknown } | null = null;
    try {
      await this.fetchSnapshot(attemptAt);
    } catch (error) {
      failure = { error };
    }
    const doneAt = Date.now();
    this.lastDoneAt = doneAt;
    if (this.closed) return;
    if (failure) {
      if (this.refusedReplacedCredentials(failure.error, generation)) {
        this.scheduleFetch(refreshFetchAt(Date.now(), doneAt, this.cadence));
        return;
      }
      this.scheduleFetch(await this.recordFailure(failure.error, doneAt));
      return;
    }
    await this.maybeFetchHistory();
    if (this.closed) return;
    // Decided last: a refresh request may have come in while the history was fetched.
    this.scheduleFetch(
      this.refreshPending
        ? refreshFetchAt(Date.now(), doneAt, this.cadence)
        : nextAfterSuccess(dueAt, doneAt, this.cadence),
    );
  }

  /** Fetches the account and positions and writes the snapshot; throws what failed. */
  private async fetchSnapshot(attemptAt: number): Promise<void> {
    const signal = this.abort.signal;
    // Recorded first, so a successor that takes over mid-call keeps the cadence.
    await this.status.set({ [STATUS.lastAttemptAt]: String(attemptAt) });
    const client = this.client;
    const account = await client.getAccount({ signal });
    this.credentialsAccepted();
    const fetchedAt = Date.now();
    const positions = await client.getPositions({ signal });
    // A leader that lost its lease during the calls leaves the data to its successor.
    if (!this.leader || this.closed) return;

    const fields = snapshotFields(account, { alias: this.alias, fetchedAt, source: this.deps.source });
    const counters = this.takeCounters();
    const state: PollerState = 'ok';
    const version = await this.writer
      .write({
        fields,
        positions,
        counters,
        status: {
          [STATUS.leader]: this.deps.holder,
          [STATUS.lastSuccessAt]: String(fetchedAt),
          [STATUS.consecutiveFailures]: '0',
          [STATUS.healthy]: 'true',
          [STATUS.state]: state,
        },
      })
      .catch((error: unknown) => {
        this.restoreCounters(counters);
        throw error;
      });
    if (this.consecutiveFailures > 0) {
      this.log.info({ afterFailures: this.consecutiveFailures }, 'broker answers again');
    }
    this.consecutiveFailures = 0;
    this.deps.metrics.recordSnapshot(this.alias, fields, fetchedAt);
    this.log.debug({ version, positions: positions.length }, 'snapshot written');
  }

  /** Keeps last-good as it is, records why, and returns when to try again. */
  private async recordFailure(error: unknown, doneAt: number): Promise<number> {
    if (!isBrokerError(error)) {
      // Redis failed, not the broker: retry on the regular cadence, health untouched.
      this.deps.metrics.failures.inc({ account: this.alias, kind: 'redis' });
      this.log.error({ err: error }, 'could not store the snapshot');
      return nextAfterFailure(doneAt, 1, undefined, this.cadence, this.random);
    }
    const failure = error;
    const failures = ++this.consecutiveFailures;
    const threshold = this.deps.tuning.unhealthyAfterFailures;
    if (failure.kind === 'rate-limited') this.counters.rateLimited += 1;
    this.deps.metrics.failures.inc({ account: this.alias, kind: failure.kind });

    // A refusal stops the calls until a probe; a probe that fails otherwise (a 5xx, a timeout)
    // proved nothing about the credentials, so it waits for the next, longer probe as well.
    const authStopped = failure.kind === 'auth' || this.authProbeAt !== null;
    let retryAt: number;
    if (authStopped) {
      this.authRefusals += 1;
      const { authProbeMs, authProbeMaxMs } = this.deps.tuning;
      retryAt = doneAt + Math.min(authProbeMs * 2 ** Math.min(this.authRefusals - 1, 30), authProbeMaxMs);
      this.authProbeAt = retryAt;
    } else {
      retryAt = nextAfterFailure(doneAt, failures, failure.resetAt, this.cadence, this.random);
    }

    const state: PollerState = authStopped ? 'auth-failed' : failures >= threshold ? 'unhealthy' : 'failing';
    const context = { kind: failure.kind, endpoint: failure.endpoint, status: failure.status, failures };
    if (authStopped) {
      const probeInS = Math.round((retryAt - doneAt) / 100) / 10;
      const next = `probing again in ${probeInS} s, or sooner when the credential file changes`;
      if (failure.kind === 'auth') {
        this.log.error({ ...context, probeInS }, `broker refused the credentials: ${next}`);
      } else {
        this.log.warn(
          { ...context, probeInS, reason: failure.message },
          `credential probe failed without an answer on the credentials: ${next}`,
        );
      }
    } else if (failures === threshold) {
      this.log.error({ ...context, reason: failure.message }, 'account unhealthy: broker keeps failing');
    } else {
      this.log.warn({ ...context, reason: failure.message }, 'broker fetch failed; keeping last-good');
    }

    await this.status
      .set(
        {
          [STATUS.leader]: this.deps.holder,
          [STATUS.lastError]: failure.kind,
          [STATUS.lastErrorAt]: String(Date.now()),
          [STATUS.lastErrorMessage]: failure.message,
          [STATUS.consecutiveFailures]: String(failures),
          [STATUS.healthy]: state === 'failing' ? 'true' : 'false',
          [STATUS.state]: state,
        },
        this.takeCounters(),
      )
      .catch((e: unknown) => this.log.warn({ err: e }, 'could not record the failure'));
    return retryAt;
  }

  /** The broker answered with the credentials in use: an auth stop, if any, is over. */
  private credentialsAccepted(): void {
    if (this.authProbeAt === null) return;
    this.log.info({ refusals: this.authRefusals }, 'broker accepts the credentials again; polling resumes');
    this.authProbeAt = null;
    this.authRefusals = 0;
  }

  /** A refusal of credentials swapped out while the call was under way says nothing of the new ones. */
  private refusedReplacedCredentials(error: unknown, generation: number): boolean {
    if (!isBrokerError(error) || error.kind !== 'auth' || generation === this.credentialsGeneration)
      return false;
    this.log.info('the previous credentials were refused; the new ones are next');
    return true;
  }

  /** The slow schedule: daily portfolio history for the analytics worker. */
  private async maybeFetchHistory(): Promise<void> {
    if (
      !this.leader ||
      this.authProbeAt !== null ||
      this.consecutiveFailures > 0 ||
      Date.now() < this.historyDueAt
    )
      return;
    const generation = this.credentialsGeneration;
    try {
      const history = await this.client.getPortfolioHistory(
        { period: '1A', timeframe: '1D' },
        { signal: this.abort.signal },
      );
      if (!this.leader || this.closed) return;
      const fetchedAt = Date.now();
      await writeHistory(this.deps.redis, this.deps.keys, this.alias, history, fetchedAt);
      this.historyDueAt = fetchedAt + this.deps.historyRefreshMs;
      this.log.debug({ points: history.timestamp.length }, 'portfolio history written');
    } catch (error) {
      if (this.closed) return;
      this.historyDueAt = Date.now() + this.deps.tuning.historyRetryMs;
      if (this.refusedReplacedCredentials(error, generation)) return;
      // Same credentials as the snapshot: refused here means refused everywhere. The next fetch,
      // whenever it was planned, waits for the probe time this sets.
      if (isBrokerError(error) && error.kind === 'auth') {
        await this.recordFailure(error, Date.now());
        return;
      }
      const kind = isBrokerError(error) ? error.kind : 'redis';
      this.log.warn({ err: error, kind }, 'portfolio history fetch failed; keeping the stored one');
      await this.status.set({ [STATUS.historyLastError]: kind }, this.takeCounters()).catch(() => undefined);
    }
  }

  private buildClient(credentials: AlpacaCredentials): AlpacaClient {
    return this.deps.createClient(credentials, (e) => {
      this.counters.brokerCalls += 1;
      this.deps.metrics.observeRequest(this.alias, e);
    });
  }

  private takeCounters(): CallCounters {
    const taken = this.counters;
    this.counters = { brokerCalls: 0, rateLimited: 0 };
    return taken;
  }

  private restoreCounters(c: CallCounters): void {
    this.counters.brokerCalls += c.brokerCalls;
    this.counters.rateLimited += c.rateLimited;
  }
}
