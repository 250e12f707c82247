import { type AlpacaClient, type BrokerRequestEvent, isBrokerError } from '@friren/alpaca';
import type { AlpacaCredentials, SnapshotConfig } from '@friren/config';
import type { RedisKeys, SnapshotSource } from '@friren/contracts';
import type { Logger } from '@friren/observability';
import type { Redis } from 'ioredis';
import { AuthBackoff } from './auth-backoff.js';
import { writeHistory } from './history-writer.js';
import { Lease } from './lease.js';
import { LeaseLoop } from './lease-loop.js';
import type { PollerMetrics } from './metrics.js';
import {
  type CadenceSettings,
  firstFetchAt,
  nextAfterFailure,
  nextAfterSuccess,
  type Random,
  refreshFetchAt,
  spacingFloor,
} from './schedule.js';
import type { PollerTuning } from './settings.js';
import { snapshotFields } from './snapshot-fields.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { type PollerState, STATUS } from './status-fields.js';
import { type CallCounters, type LeaderResume, StatusWriter } from './status-writer.js';

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

/** A fetch to plan: when, and for regular fetches the grid slot it stands for. */
interface FetchPlan {
  readonly at: number;
  readonly slot?: number;
}

/**
 * One account in one process: competes for the account's lease (lease-loop.ts) and, while it
 * leads, fetches the account on the cadence of schedule.ts, writes snapshots, keeps the status hash
 * current and answers refresh requests. Followers only retry the lease.
 */
export class AccountPoller {
  private readonly alias: string;
  private client: AlpacaClient;
  /** +1 per credential swap, so a refusal of the previous key pair is not held against the new one. */
  private credentialsGeneration = 0;
  private readonly leases: LeaseLoop<LeaderResume>;
  /** Set by a 401/403: calls wait for a probe with the same credentials, unless new ones come first. */
  private readonly auth: AuthBackoff;
  private readonly writer: SnapshotWriter;
  private readonly status: StatusWriter;
  private readonly cadence: CadenceSettings;
  private readonly log: Logger;
  private readonly random: Random;
  private readonly abort = new AbortController();

  private fetchTimer: NodeJS.Timeout | undefined;
  private fetchDueAt: number | null = null;
  private inFlight: Promise<void> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private refreshPending = false;
  /**
   * When the previous fetch (by any leader) called the broker: its account request went out then,
   * or, if it never did, the fetch started then. The spacing floor counts from it.
   */
  private lastCallAt: number | null = null;
  private consecutiveFailures = 0;
  private historyDueAt = 0;
  private counters: CallCounters = { brokerCalls: 0, rateLimited: 0 };

  constructor(private readonly deps: AccountPollerDeps) {
    this.alias = deps.alias;
    this.log = deps.logger.child({ account: deps.alias });
    this.random = deps.random ?? Math.random;
    this.client = this.buildClient(deps.credentials);
    const lease = new Lease(
      deps.redis,
      deps.keys.pollerLease(deps.alias),
      deps.keys.poller(deps.alias),
      deps.holder,
      deps.tuning.leaseMs,
    );
    this.leases = new LeaseLoop(
      lease,
      deps.tuning,
      {
        prepare: () => this.status.claimLeadership(deps.holder, Date.now()),
        lead: (resume) => this.becomeLeader(resume),
        stepDown: () => this.stepDown(),
      },
      this.log,
    );
    this.auth = new AuthBackoff(deps.tuning);
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
    return this.leases.leading;
  }

  start(): void {
    this.leases.start();
  }

  /**
   * New credentials (a rotated secret file): every later call uses them. An auth stop is lifted at
   * once, so one call tells whether the broker takes them, without waiting for the next probe.
   */
  useCredentials(credentials: AlpacaCredentials): void {
    if (this.closed) return;
    this.client = this.buildClient(credentials);
    this.credentialsGeneration += 1;
    if (this.auth.lift() === null) {
      this.log.info('credentials changed; the next call uses them');
      return;
    }
    this.log.info('credentials changed while the broker refused the previous ones; trying them now');
    this.scheduleFetch({ at: refreshFetchAt(Date.now(), this.lastCallAt, this.cadence) }, true);
  }

  /**
   * A message on `P:account:A:refresh`. The leader fetches soon, coalescing bursts, never within
   * SNAPSHOT_MIN_INTERVAL_MS of its previous call. While the broker is failing the backoff wins:
   * a crisis must not turn into a stream of calls to a broker that is down.
   */
  requestRefresh(): void {
    if (!this.leases.leading || this.closed || this.auth.stopped || this.consecutiveFailures > 0) return;
    if (this.inFlight) {
      this.refreshPending = true;
      return;
    }
    this.scheduleFetch({ at: refreshFetchAt(Date.now(), this.lastCallAt, this.cadence) }, true);
  }

  /** Stops scheduling, abandons any broker call in flight and releases the lease. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.fetchTimer);
    this.abort.abort();
    const stopping = this.leases.stop();
    await Promise.allSettled([this.inFlight, stopping]);
    if (await stopping) {
      this.deps.metrics.setLeader(this.alias, false);
      await this.status.set({}, this.takeCounters()).catch((error: unknown) => {
        this.log.warn({ err: error }, 'could not record the last broker calls');
      });
    }
    // Compare-and-delete, so also safe when a lease tick won the lease just as we closed. A
    // successor then takes over at once instead of waiting for the lease to expire.
    if (await this.leases.release()) this.log.info('lease released');
  }

  // --- leadership ---------------------------------------------------------------------------

  private becomeLeader(resume: LeaderResume): void {
    const now = Date.now();
    this.deps.metrics.setLeader(this.alias, true);
    this.lastCallAt = resume.lastAttemptAt;
    this.consecutiveFailures = resume.consecutiveFailures;
    this.historyDueAt =
      resume.historyFetchedAt === null ? 0 : resume.historyFetchedAt + this.deps.historyRefreshMs;
    const firstAt = firstFetchAt(now, resume.lastAttemptAt, this.cadence, this.random);
    this.log.info({ firstFetchInMs: firstAt - now }, 'became leader');
    this.scheduleFetch({ at: firstAt, slot: firstAt });
  }

  private stepDown(): void {
    this.refreshPending = false;
    clearTimeout(this.fetchTimer);
    this.fetchTimer = undefined;
    this.fetchDueAt = null;
    this.deps.metrics.setLeader(this.alias, false);
  }

  // --- fetching -----------------------------------------------------------------------------

  /**
   * Plans the next fetch; with `onlyIfEarlier`, keeps an already planned earlier one. Whatever
   * planned it, a fetch is never within the minimum interval of the previous one's start, and
   * while the credentials stand refused, never before the probe.
   */
  private scheduleFetch(plan: FetchPlan, onlyIfEarlier = false): void {
    if (!this.leases.leading || this.closed) return;
    const at = this.auth.notBefore(Math.max(plan.at, spacingFloor(this.lastCallAt, this.cadence)));
    const slot = plan.slot ?? at;
    if (onlyIfEarlier && this.fetchDueAt !== null && this.fetchDueAt <= at) return;
    clearTimeout(this.fetchTimer);
    this.fetchDueAt = at;
    this.fetchTimer = setTimeout(
      () => {
        this.fetchTimer = undefined;
        this.fetchDueAt = null;
        if (this.inFlight) return;
        this.inFlight = this.fetch(slot).finally(() => {
          this.inFlight = null;
        });
      },
      Math.max(0, at - Date.now()),
    );
  }

  /** One planned fetch; `slot` is the grid slot it stands for (its own time if off the grid). */
  private async fetch(slot: number): Promise<void> {
    if (!this.leases.leading || this.closed) return;
    const probeAt = this.auth.probeAt;
    if (probeAt !== null && Date.now() < probeAt) {
      // Refused credentials are never called before the probe is due, whatever planned this fetch.
      this.scheduleFetch({ at: probeAt });
      return;
    }
    if (!this.leases.confirmed()) {
      this.log.warn('lease not confirmed in time; not fetching');
      this.leases.stepDown();
      return;
    }
    const startedAt = Date.now();
    // The account request's event moves it on to when the request actually went out.
    this.lastCallAt = startedAt;
    this.refreshPending = false;
    const generation = this.credentialsGeneration;
    let failure: { error: unknown } | null = null;
    try {
      await this.fetchSnapshot(startedAt);
    } catch (error) {
      failure = { error };
    }
    const doneAt = Date.now();
    if (this.closed) return;
    if (failure) {
      if (this.refusedReplacedCredentials(failure.error, generation)) {
        this.scheduleFetch({ at: refreshFetchAt(Date.now(), this.lastCallAt, this.cadence) });
        return;
      }
      this.scheduleFetch({ at: await this.recordFailure(failure.error, doneAt) });
      return;
    }
    await this.maybeFetchHistory();
    if (this.closed) return;
    // Decided last: a refresh request may have come in while the history was fetched.
    this.scheduleFetch(
      this.refreshPending
        ? { at: refreshFetchAt(Date.now(), this.lastCallAt, this.cadence) }
        : nextAfterSuccess(slot, this.lastCallAt, this.cadence),
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
    if (!this.leases.leading || this.closed) return;

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
    this.log.debug({ version, positions: positions.length, calledAt: this.lastCallAt }, 'snapshot written');
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
    const authStopped = failure.kind === 'auth' || this.auth.stopped;
    const retryAt = authStopped
      ? this.auth.refused(doneAt)
      : nextAfterFailure(doneAt, failures, failure.resetAt, this.cadence, this.random);

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
    const refusals = this.auth.lift();
    if (refusals === null) return;
    this.log.info({ refusals }, 'broker accepts the credentials again; polling resumes');
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
      !this.leases.leading ||
      this.auth.stopped ||
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
      if (!this.leases.leading || this.closed) return;
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
      if (e.endpoint === 'account') this.lastCallAt = Math.max(this.lastCallAt ?? 0, e.sentAt);
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
