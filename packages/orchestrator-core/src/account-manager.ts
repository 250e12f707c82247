import {
  type AccountSnapshot,
  decodeAccountUpdate,
  decodeSnapshot,
  formatDecimal,
  type PerformanceReport,
  parsePerformance,
  type RedisKeys,
  type SnapshotMoneyField,
  safeParseWith,
} from '@friren/contracts';
import { coalesce } from './coalesce.js';
import { computeDayPnl } from './day-pnl.js';
import { ExpiryTimer, expiryDelay } from './expiry.js';
import { isFresh, isSkewed, isStale } from './freshness.js';
import { judgeHealth } from './health.js';
import type { LoggerLike } from './logger.js';
import { type OrderRequest, orderRequestSchema } from './order.js';
import { decodePollerStatus } from './poller-status.js';
import { type Positions, parsePositions } from './positions.js';
import { ReadStats } from './read-stats.js';
import type { RedisLink } from './redis-link.js';
import { checkOrderAgainst, type ParsedRiskLimits, type RiskDecision } from './risk.js';
import type {
  DayPnl,
  FreshnessSource,
  Health,
  KnownSnapshot,
  PollerStatus,
  ReadLayer,
  SessionStats,
  SnapshotOrigin,
  SnapshotRead,
  UnknownSnapshot,
} from './types.js';

/** Settings shared by every manager of a group. */
export interface ManagerSettings {
  readonly keys: RedisKeys;
  readonly ttlMs: number;
  /** How far ahead of this clock a `fetched_at` may be before the snapshot is labelled skewed. */
  readonly maxClockSkewMs: number;
  readonly limits: ParsedRiskLimits;
  readonly now: () => number;
  /** Consecutive poller failures that make the account unhealthy. */
  readonly pollerFailureLimit: number;
  /** How long a read of the poller status hash is reused by health and statistics. */
  readonly statusMaxAgeMs: number;
  readonly logger: LoggerLike;
}

/** A snapshot held in memory, with what every read of it needs already worked out. */
interface Held {
  readonly snapshot: AccountSnapshot;
  readonly fetchedAt: number;
  readonly version: number;
  readonly origin: SnapshotOrigin;
  /** Computed on first use, then kept: `undefined` = not yet, `null` = cannot be computed. */
  dayPnl: DayPnl | null | undefined;
}

interface HeldPositions {
  /** Null when the key was absent or unreadable: checks needing positions then refuse new risk. */
  readonly positions: Positions | null;
  /** The snapshot version they were read with; a newer snapshot makes them due for a re-read. */
  readonly forVersion: number;
}

type RedisAnswer =
  | { readonly kind: 'found'; readonly held: Held }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unreachable' };

const UNKNOWN_BEFORE_LOAD: UnknownSnapshot = Object.freeze({
  known: false,
  snapshot: null,
  source: null,
  origin: null,
  age_ms: null,
  stale: true,
  skewed: false,
  reason: 'no snapshot loaded yet',
});

export interface RefreshRequestResult {
  /** Whether the request reached Redis. */
  readonly published: boolean;
  /** Subscribers that received it (the poller leader among them when it runs). */
  readonly receivers: number;
}

/**
 * One account's read side: the latest snapshot in process memory, kept current by the account's
 * pub/sub channel and by expiry, with Redis and the last-good copy behind it. Create it with
 * `createAccountManager` or `createAccountManagers`.
 *
 * `getSnapshotNow()` and the other synchronous accessors never touch Redis, never block and never
 * throw: they are what a strategy engine calls in a crash.
 */
export class AccountManager {
  private held: Held | null = null;
  private heldPositions: HeldPositions | null = null;
  private performance: PerformanceReport | null = null;
  /** Why the last performance hash read was dropped; null when it was valid or absent. */
  private performanceIssue: string | null = null;
  private pollerStatus: PollerStatus | null = null;
  private pollerStatusAt = Number.NEGATIVE_INFINITY;
  private readonly expiry = new ExpiryTimer();
  private closed = false;
  /** In a group: reload on start, nothing to close; a stand-alone manager gets its group's. */
  private lifecycle: { start(): Promise<void>; close(): Promise<void> } = {
    start: () => this.reload(),
    close: async () => {},
  };

  /** Bumped on the hot path; metrics copy them at scrape time. */
  private readonly stats = new ReadStats();

  private readThroughInFlight: Promise<RedisAnswer> | null = null;

  /** Re-reads snapshot, positions and poller status (pub/sub, reconnect, expiry). */
  readonly refreshSnapshot: () => Promise<void>;
  readonly refreshPerformance: () => Promise<void>;
  private readonly refreshPollerStatus: () => Promise<void>;

  /** @internal Built by the factories, which own the connections. */
  constructor(
    readonly alias: string,
    private readonly link: RedisLink,
    private readonly settings: ManagerSettings,
  ) {
    this.refreshSnapshot = coalesce(() => this.loadSnapshot());
    this.refreshPerformance = coalesce(() => this.loadPerformance());
    this.refreshPollerStatus = coalesce(() => this.loadPollerStatus());
  }

  // ---- crisis path (synchronous, memory only) -------------------------------------------------

  /**
   * The newest snapshot held, with its age and staleness: no I/O, no throw. `known: false` before
   * the first load. The snapshot object is the one decoded when it arrived; only the small answer
   * object is new per call.
   */
  getSnapshotNow(): SnapshotRead {
    const h = this.held;
    if (h === null) {
      this.stats.miss++;
      return UNKNOWN_BEFORE_LOAD;
    }
    this.stats.memory++;
    return this.view(h, 'memory');
  }

  /** `cash` as the broker sent it; null when no snapshot is held or the broker omitted it. */
  getCashAvailable(): string | null {
    return this.money('cash');
  }

  getBuyingPower(): string | null {
    return this.money('buying_power');
  }

  getPortfolioValue(): string | null {
    return this.money('portfolio_value');
  }

  getEquity(): string | null {
    return this.money('equity');
  }

  /** Any money field as a JS number, for display and rough logic only; never for money arithmetic. */
  getMoneyNumber(field: SnapshotMoneyField): number | null {
    const v = this.money(field);
    return v === null ? null : Number(v);
  }

  /** Total P&L from the analytics summary (exact decimal string). */
  getTotalPnl(): string | null {
    return this.performance?.overall.total_pnl ?? null;
  }

  getRealizedPnl(): string | null {
    return this.performance?.overall.realized_pnl ?? null;
  }

  /** Sum of the open positions' unrealized P&L as the broker reported it. */
  getUnrealizedPnl(): string | null {
    const u = this.heldPositions?.positions?.unrealizedPl;
    return u == null ? null : formatDecimal(u);
  }

  /** equity − last_equity (exact) and its percentage of last_equity. */
  getDayPnl(): DayPnl | null {
    const h = this.held;
    if (h === null) return null;
    if (h.dayPnl === undefined) h.dayPnl = computeDayPnl(h.snapshot);
    return h.dayPnl;
  }

  /** The analytics summary, overall and per strategy; null until analytics has written a valid one. */
  getPerformance(): PerformanceReport | null {
    return this.performance;
  }

  /**
   * `performance_invalid: <field>: <rule>; …` when the last performance hash broke a rule and was
   * dropped (so `getPerformance()` is null rather than serving it); null otherwise.
   */
  getPerformanceIssue(): string | null {
    return this.performanceIssue;
  }

  /** Health from what is held now (the poller status as last read). */
  healthNow(): Health {
    const h = this.held;
    const read: SnapshotRead = h === null ? UNKNOWN_BEFORE_LOAD : this.view(h, 'memory');
    return judgeHealth({
      read,
      poller: this.pollerStatus,
      redisReachable: this.link.isReachable(),
      ttlMs: this.settings.ttlMs,
      maxClockSkewMs: this.settings.maxClockSkewMs,
      pollerFailureLimit: this.settings.pollerFailureLimit,
    });
  }

  /** Risk checks against what is held in memory (no I/O). See `checkOrderAgainst` for the rules. */
  checkOrderNow(order: OrderRequest): RiskDecision {
    const parsed = safeParseWith(orderRequestSchema, order);
    if (!parsed.ok) {
      return { allowed: false, reasons: parsed.issues.map((i) => `invalid_order: ${i.field}: ${i.message}`) };
    }
    const h = this.held;
    const hp = this.heldPositions;
    return checkOrderAgainst(
      { snapshot: h?.snapshot ?? null, positions: hp?.positions ?? null, limits: this.settings.limits },
      parsed.value,
    );
  }

  // ---- async path (memory → Redis live hash → last-good) --------------------------------------

  /**
   * Memory while the held snapshot is within its TTL and not skewed; otherwise the live hash, then
   * the last-good copy. With Redis unreachable it answers from memory (stale once past the TTL) or
   * `known: false`. Never rejects.
   */
  async getAccountSnapshot(): Promise<SnapshotRead> {
    const { ttlMs, maxClockSkewMs } = this.settings;
    let h = this.held;
    if (h !== null && isFresh(this.settings.now() - h.fetchedAt, ttlMs, maxClockSkewMs)) {
      this.stats.memory++;
      return this.view(h, 'memory');
    }
    const answer = await this.readThrough();
    if (answer.kind === 'found') {
      h = answer.held;
      if (h.origin === 'redis') this.stats.redis++;
      else this.stats.lastGood++;
      return this.view(h, h.origin);
    }
    h = this.held;
    if (h !== null) {
      this.stats.memory++;
      return this.view(h, 'memory');
    }
    this.stats.miss++;
    return {
      ...UNKNOWN_BEFORE_LOAD,
      reason:
        answer.kind === 'unreachable'
          ? 'redis is unreachable and no snapshot is held in memory'
          : 'no snapshot in redis (live or last-good)',
    };
  }

  /** `checkOrderNow` after making sure the snapshot and positions are as current as Redis allows. */
  async checkOrder(order: OrderRequest): Promise<RiskDecision> {
    const read = await this.getAccountSnapshot();
    if (read.known && this.heldPositions?.forVersion !== read.snapshot.version) {
      await this.loadPositions(read.snapshot.version);
    }
    return this.checkOrderNow(order);
  }

  /** Health after re-reading the poller status if the copy held is older than a second or so. */
  async isAccountHealthy(): Promise<Health> {
    await this.freshPollerStatus();
    return this.healthNow();
  }

  /**
   * Asks the poller leader for a fresh snapshot now (docs/CONTRACT.md §2 refresh channel); it coalesces
   * requests and keeps its minimum spacing, so calling this in a crisis is safe. Never rejects.
   */
  async requestRefresh(reason = 'requested'): Promise<RefreshRequestResult> {
    if (!this.link.canCommand()) return { published: false, receivers: 0 };
    const message = JSON.stringify({ kind: 'refresh', account: this.alias, reason, at: this.settings.now() });
    try {
      const receivers = await this.link.command.publish(
        this.settings.keys.refreshChannel(this.alias),
        message,
      );
      return { published: true, receivers };
    } catch {
      return { published: false, receivers: 0 };
    }
  }

  /** Broker calls (the poller's counters), reads per layer, hit ratios and calls saved. */
  async getSessionStats(): Promise<SessionStats> {
    await this.freshPollerStatus();
    return this.stats.session(this.alias, this.pollerStatus);
  }

  /** Drops the held snapshot and positions so the next async read goes to Redis (tests, benchmarks). */
  invalidate(): void {
    this.held = null;
    this.heldPositions = null;
    this.expiry.clear();
  }

  /** Per-layer read count (for metrics). */
  readCount(layer: ReadLayer): number {
    return this.stats.count(layer);
  }

  /** now − `fetched_at` of the held snapshot in seconds, signed (negative: dated ahead of this clock). */
  snapshotAgeSeconds(): number | null {
    const h = this.held;
    return h === null ? null : (this.settings.now() - h.fetchedAt) / 1000;
  }

  /**
   * Connects, subscribes and loads (a manager of `createAccountManager`); in a group, reloads this
   * account only — start the group instead. Resolves even when Redis is down.
   */
  start(): Promise<void> {
    return this.lifecycle.start();
  }

  /** A manager of `createAccountManager` closes its connections; in a group, close the group. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.markClosed();
    await this.lifecycle.close();
  }

  // ---- internals used by the group --------------------------------------------------------------

  /** @internal A stand-alone manager's start and close are its group's. */
  bindLifecycle(lifecycle: { start(): Promise<void>; close(): Promise<void> }): void {
    this.lifecycle = lifecycle;
  }

  /** @internal Everything at once: initial load and after a reconnect. */
  async reload(): Promise<void> {
    await Promise.all([this.refreshSnapshot(), this.refreshPerformance()]);
  }

  /** @internal A message on the account's `updated` channel. */
  handleUpdate(message: string): void {
    const update = decodeAccountUpdate(message);
    if (update === null) {
      this.settings.logger.debug({ account: this.alias }, 'ignored a malformed update message');
      return;
    }
    if (update.kind === 'performance') {
      void this.refreshPerformance();
      return;
    }
    const h = this.held;
    if (h !== null && h.origin === 'redis' && h.version === update.version) return;
    void this.refreshSnapshot();
  }

  /** @internal Marks the manager closed without closing shared connections (the group does that). */
  markClosed(): void {
    this.closed = true;
    this.expiry.clear();
  }

  // ---- loading ----------------------------------------------------------------------------------

  private money(field: SnapshotMoneyField): string | null {
    const h = this.held;
    if (h === null) {
      this.stats.miss++;
      return null;
    }
    this.stats.memory++;
    return h.snapshot[field] ?? null;
  }

  /** The Redis half of `getAccountSnapshot`, shared by concurrent callers. */
  private readThrough(): Promise<RedisAnswer> {
    if (this.readThroughInFlight !== null) return this.readThroughInFlight;
    const p = this.readLayers().finally(() => {
      this.readThroughInFlight = null;
    });
    this.readThroughInFlight = p;
    return p;
  }

  private async readLayers(): Promise<RedisAnswer> {
    if (!this.link.canCommand()) return { kind: 'unreachable' };
    const keys = this.settings.keys;
    const redis = this.link.command;
    try {
      const live = await redis.hgetall(keys.snapshot(this.alias));
      const fromLive = this.accept(live, 'redis');
      if (fromLive !== null) return { kind: 'found', held: fromLive };
      const lastGood = await redis.hgetall(keys.lastGood(this.alias));
      const fromLastGood = this.accept(lastGood, 'last-good');
      if (fromLastGood !== null) return { kind: 'found', held: fromLastGood };
      return { kind: 'absent' };
    } catch (err) {
      this.settings.logger.debug({ account: this.alias, err }, 'snapshot read from redis failed');
      return { kind: 'unreachable' };
    }
  }

  /**
   * Decodes a hash and makes it the held snapshot unless memory already holds a newer one. Returns
   * what is held afterwards when the hash was usable, null when it was absent or malformed.
   */
  private accept(hash: Record<string, string>, origin: SnapshotOrigin): Held | null {
    if (Object.keys(hash).length === 0) return null;
    const r = decodeSnapshot(hash);
    if (!r.ok) {
      this.settings.logger.warn(
        { account: this.alias, origin, reason: r.reason },
        'ignored a malformed snapshot',
      );
      return null;
    }
    // Shared with every reader from now on, so nobody may change it.
    const s = Object.freeze(r.snapshot);
    const current = this.held;
    // Pub/sub and reads race; never let an older answer replace a newer one. A held snapshot
    // dated beyond the skew tolerance is no measure of "newer": whatever Redis holds now wins.
    if (
      current !== null &&
      s.fetched_at < current.fetchedAt &&
      current.fetchedAt - this.settings.now() <= this.settings.maxClockSkewMs
    ) {
      return current;
    }
    const held: Held = {
      snapshot: s,
      fetchedAt: s.fetched_at,
      version: s.version,
      origin,
      dayPnl: undefined,
    };
    this.held = held;
    this.scheduleExpiry(held);
    return held;
  }

  private async loadSnapshot(): Promise<void> {
    if (this.closed || !this.link.canCommand()) return;
    this.stats.backgroundLoads++;
    const keys = this.settings.keys;
    try {
      const results = await this.link.command
        .multi()
        .hgetall(keys.snapshot(this.alias))
        .get(keys.positions(this.alias))
        .hgetall(keys.poller(this.alias))
        .exec();
      const [live, positions, poller] = (results ?? []).map(([err, value]) => (err ? null : value));
      let held = this.accept((live as Record<string, string> | null) ?? {}, 'redis');
      if (held === null) {
        const lastGood = await this.link.command.hgetall(keys.lastGood(this.alias));
        held = this.accept(lastGood, 'last-good');
      }
      if (poller !== null && poller !== undefined) this.setPollerStatus(poller as Record<string, string>);
      if (held !== null) this.setPositions((positions as string | null) ?? null, held.version);
    } catch (err) {
      this.settings.logger.debug({ account: this.alias, err }, 'background snapshot load failed');
    }
  }

  private async loadPositions(forVersion: number): Promise<void> {
    if (!this.link.canCommand()) return;
    try {
      this.setPositions(await this.link.command.get(this.settings.keys.positions(this.alias)), forVersion);
    } catch {
      // Keep what is held; the risk check says so if positions are unknown.
    }
  }

  private setPositions(text: string | null, forVersion: number): void {
    if (text === null) {
      this.heldPositions = { positions: null, forVersion };
      return;
    }
    const r = parsePositions(text);
    if (!r.ok)
      this.settings.logger.warn({ account: this.alias, reason: r.reason }, 'ignored malformed positions');
    this.heldPositions = { positions: r.ok ? r.positions : null, forVersion };
  }

  private async loadPerformance(): Promise<void> {
    if (this.closed || !this.link.canCommand()) return;
    try {
      const hash = await this.link.command.hgetall(this.settings.keys.performance(this.alias));
      const r = parsePerformance(hash);
      if (r.kind === 'ok') {
        this.performance = r.report;
        this.performanceIssue = null;
      } else if (r.kind === 'invalid') {
        // Dropped rather than served: figures that break the decimal rules are not figures.
        const issue = `performance_invalid: ${r.reason}`;
        if (issue !== this.performanceIssue) {
          this.settings.logger.warn(
            { account: this.alias, fields: r.fields, reason: r.reason },
            'dropped an invalid performance hash',
          );
        }
        this.performance = null;
        this.performanceIssue = issue;
      }
    } catch (err) {
      this.settings.logger.debug({ account: this.alias, err }, 'performance load failed');
    }
  }

  private async loadPollerStatus(): Promise<void> {
    if (this.closed || !this.link.canCommand()) return;
    try {
      this.setPollerStatus(await this.link.command.hgetall(this.settings.keys.poller(this.alias)));
    } catch {
      // Health then reports Redis itself; the last status read stays.
    }
  }

  private setPollerStatus(hash: Record<string, string>): void {
    this.pollerStatus = decodePollerStatus(hash);
    this.pollerStatusAt = this.settings.now();
  }

  private async freshPollerStatus(): Promise<void> {
    if (this.settings.now() - this.pollerStatusAt > this.settings.statusMaxAgeMs) {
      await this.refreshPollerStatus();
    }
  }

  /** When the live hash expires in Redis, re-read: a newer snapshot, or the last-good copy. */
  private scheduleExpiry(held: Held): void {
    this.expiry.clear();
    if (this.closed) return;
    const { ttlMs } = this.settings;
    const delay = expiryDelay(held.fetchedAt, held.origin === 'redis', ttlMs, this.settings.now());
    if (delay === null) return;
    this.expiry.schedule(delay, () => {
      void this.refreshSnapshot();
    });
  }

  /** The answer to a read: one small object per call, nothing else allocated (the crisis path). */
  private view(h: Held, source: FreshnessSource): KnownSnapshot {
    const settings = this.settings;
    const age = settings.now() - h.fetchedAt;
    return {
      known: true,
      snapshot: h.snapshot,
      source,
      origin: h.origin,
      age_ms: age,
      stale: isStale(age, settings.ttlMs, settings.maxClockSkewMs),
      skewed: isSkewed(age, settings.maxClockSkewMs),
    };
  }
}
