import type { AccountSnapshot, PerformanceReport } from '@friren/contracts';
import type { AccountManager, FreshnessSource, Health } from '@friren/orchestrator-core';

/** docs/CONTRACT.md §5 `GET /v1/accounts/:alias`. Money stays decimal strings; non-finite numbers are null. */
export interface AccountView {
  readonly account: string;
  readonly snapshot: AccountSnapshot | null;
  readonly freshness: {
    readonly source: FreshnessSource | null;
    /** now − fetched_at, signed: negative when the snapshot is dated ahead of this server's clock. */
    readonly age_ms: number | null;
    /** Past the TTL, or skewed: not fresh either way. */
    readonly stale: boolean;
    /** Dated further ahead of this server's clock than the tolerance; health says `clock_skew`. */
    readonly skewed: boolean;
  };
  readonly pnl: {
    readonly total: string | null;
    readonly realized: string | null;
    readonly unrealized: string | null;
    readonly day: string | null;
    readonly day_pct: number | null;
  };
  readonly performance: PerformanceReport | null;
  readonly health: Health;
  /** Data dropped rather than served, each starting with a stable code (`performance_invalid: …`). */
  readonly warnings: readonly string[];
}

/** The unified view: memory if fresh, else Redis, else last-good, with health and P&L beside it. */
export async function accountView(manager: AccountManager): Promise<AccountView> {
  const [read, health] = await Promise.all([manager.getAccountSnapshot(), manager.isAccountHealthy()]);
  const day = manager.getDayPnl();
  const performanceIssue = manager.getPerformanceIssue();
  return {
    account: manager.alias,
    snapshot: read.snapshot,
    freshness: {
      source: read.source,
      age_ms: finiteOrNull(read.age_ms),
      stale: read.stale,
      skewed: read.skewed,
    },
    pnl: {
      total: manager.getTotalPnl(),
      realized: manager.getRealizedPnl(),
      unrealized: manager.getUnrealizedPnl(),
      day: day?.day ?? null,
      day_pct: finiteOrNull(day?.day_pct ?? null),
    },
    performance: manager.getPerformance(),
    health,
    warnings: performanceIssue === null ? [] : [performanceIssue],
  };
}

function finiteOrNull(n: number | null): number | null {
  return n !== null && Number.isFinite(n) ? n : null;
}
