import type { AccountSnapshot, PerformanceReport } from '@friren/contracts';
import type { AccountManager, FreshnessSource, Health } from '@friren/orchestrator-core';

/** docs/CONTRACT.md §5 `GET /v1/accounts/:alias`. Money stays decimal strings; non-finite numbers are null. */
export interface AccountView {
  readonly account: string;
  readonly snapshot: AccountSnapshot | null;
  readonly freshness: {
    readonly source: FreshnessSource | null;
    readonly age_ms: number | null;
    readonly stale: boolean;
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
}

/** The unified view: memory if fresh, else Redis, else last-good, with health and P&L beside it. */
export async function accountView(manager: AccountManager): Promise<AccountView> {
  const [read, health] = await Promise.all([manager.getAccountSnapshot(), manager.isAccountHealthy()]);
  const day = manager.getDayPnl();
  return {
    account: manager.alias,
    snapshot: read.snapshot,
    freshness: { source: read.source, age_ms: finiteOrNull(read.age_ms), stale: read.stale },
    pnl: {
      total: manager.getTotalPnl(),
      realized: manager.getRealizedPnl(),
      unrealized: manager.getUnrealizedPnl(),
      day: day?.day ?? null,
      day_pct: finiteOrNull(day?.day_pct ?? null),
    },
    performance: manager.getPerformance(),
    health,
  };
}

function finiteOrNull(n: number | null): number | null {
  return n !== null && Number.isFinite(n) ? n : null;
}
