import type { AccountSnapshot } from '@friren/contracts';

/** Which layer answered a read (docs/CONTRACT.md §5 `freshness.source`). */
export type FreshnessSource = 'memory' | 'redis' | 'last-good';

/** Counted per read: the answering layer, or `miss` when nothing could answer. */
export type ReadLayer = FreshnessSource | 'miss';

export const READ_LAYERS: readonly ReadLayer[] = ['memory', 'redis', 'last-good', 'miss'];

/** Where the snapshot held in memory was loaded from. */
export type SnapshotOrigin = 'redis' | 'last-good';

export interface KnownSnapshot {
  readonly known: true;
  readonly snapshot: AccountSnapshot;
  readonly source: FreshnessSource;
  /** The Redis layer the answer originally came from (a memory hit remembers it). */
  readonly origin: SnapshotOrigin;
  /** Now − `fetched_at`, signed: negative when the snapshot is dated ahead of this clock. */
  readonly age_ms: number;
  /** `age_ms` > the snapshot TTL, or the snapshot is skewed: either way not fresh. */
  readonly stale: boolean;
  /** Dated further ahead of this clock than the tolerance: its age says nothing. */
  readonly skewed: boolean;
}

/** Before the first load (or after `invalidate()` with Redis down): nothing to answer with. */
export interface UnknownSnapshot {
  readonly known: false;
  readonly snapshot: null;
  readonly source: null;
  readonly origin: null;
  readonly age_ms: null;
  readonly stale: true;
  readonly skewed: false;
  readonly reason: string;
}

export type SnapshotRead = KnownSnapshot | UnknownSnapshot;

export interface Health {
  readonly healthy: boolean;
  /** Each starts with a stable code (`snapshot_stale:`, `redis_unreachable:` …) then says why. */
  readonly reasons: readonly string[];
}

/** The poller leader's status hash (`P:account:A:poller`), numbers parsed, absent fields null. */
export interface PollerStatus {
  readonly leader: string | null;
  readonly last_success_at: number | null;
  readonly last_error: string | null;
  readonly last_error_at: number | null;
  readonly consecutive_failures: number;
  readonly broker_calls_total: number | null;
  readonly rate_limited_total: number | null;
}

export interface DayPnl {
  /** equity − last_equity, exact decimal string. */
  readonly day: string;
  /** day / last_equity × 100 (6 places), null when last_equity is zero. */
  readonly day_pct: number | null;
}

/** Session statistics for this process and this account: broker calls beside cache reads. */
export interface SessionStats {
  readonly account: string;
  /** Broker calls the poller leader has made for this account (its counter; null when unknown). */
  readonly broker_calls_total: number | null;
  readonly rate_limited_total: number | null;
  readonly reads: Readonly<Record<ReadLayer, number>>;
  readonly reads_total: number;
  /** Share of reads answered by any cache layer (not a miss); null before the first read. */
  readonly hit_ratio: number | null;
  /** Share of reads answered from process memory without a Redis round trip. */
  readonly memory_hit_ratio: number | null;
  /** Reads answered without a broker call: each would have been one without the cache. */
  readonly calls_saved: number;
  /** Background loads from Redis (pub/sub, reconnect, expiry), not counted as reads. */
  readonly background_loads: number;
}
