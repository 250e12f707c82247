import {
  type AnalyticsAccumulator,
  accountDailyReturns,
  formatMoney,
  type PortfolioHistoryPoint,
  strategyDailyReturns,
} from '@friren/analytics-core';
import { OVERALL_STRATEGY, type PerformanceDailyRow } from '@friren/db';

/**
 * The `performance_daily` rows of an account, computed from the whole state (a few rows per day):
 *
 * - per strategy, from the day of its first realized P&L: every day it realized P&L and every
 *   history day; `realized_pnl` that UTC day (by the closing fill's strategy), the running total,
 *   and on history days `daily_return` = its realized P&L over the window since the previous
 *   history day / account equity at the start of the day (`strategyDailyReturns`);
 * - overall (`strategy = ''`): every history day and every day with realized P&L, the sums across
 *   strategies, and on history days the broker's `profit_loss_pct`.
 *
 * A row for day d depends only on fills and history up to d, which is why a recompute needs to
 * rewrite only the rows from the earliest day its new fills or history changes touched: `from`
 * (inclusive; '' for all). Earlier rows are still summed for the running totals, not built.
 */
export function dailyRows(
  account: string,
  acc: AnalyticsAccumulator,
  history: readonly PortfolioHistoryPoint[],
  from = '',
): PerformanceDailyRow[] {
  const historyDates = history.map((h) => h.date).sort();
  const strategyReturns = strategyDailyReturns(acc, history);
  const overallPnl = new Map<string, bigint>();
  const rows: PerformanceDailyRow[] = [];

  for (const [strategy, state] of acc.strategies) {
    if (state.daily.size === 0) continue;
    const returns = new Map((strategyReturns.get(strategy) ?? []).map((r) => [r.date, r.return]));
    const first = minKey(state.daily);
    const dates = new Set<string>(state.daily.keys());
    for (const d of historyDates) if (d >= first) dates.add(d);
    let cumulative = 0n;
    for (const date of [...dates].sort()) {
      const pnl = state.daily.get(date) ?? 0n;
      cumulative += pnl;
      if (pnl !== 0n) overallPnl.set(date, (overallPnl.get(date) ?? 0n) + pnl);
      if (date >= from) rows.push(row(account, strategy, date, pnl, cumulative, returns.get(date)));
    }
  }

  const accountReturns = new Map(accountDailyReturns(history).map((r) => [r.date, r.return]));
  const overallDates = new Set<string>(historyDates);
  for (const [, state] of acc.strategies) for (const d of state.daily.keys()) overallDates.add(d);
  let cumulative = 0n;
  for (const date of [...overallDates].sort()) {
    const pnl = overallPnl.get(date) ?? 0n;
    cumulative += pnl;
    if (date >= from)
      rows.push(row(account, OVERALL_STRATEGY, date, pnl, cumulative, accountReturns.get(date)));
  }
  return rows;
}

function row(
  account: string,
  strategy: string,
  date: string,
  pnl: bigint,
  cumulative: bigint,
  ret: number | undefined,
): PerformanceDailyRow {
  return {
    account,
    strategy,
    date,
    realized_pnl: formatMoney(pnl),
    cumulative_realized_pnl: formatMoney(cumulative),
    daily_return: ret === undefined || !Number.isFinite(ret) ? null : ret,
  };
}

function minKey(map: ReadonlyMap<string, unknown>): string {
  let min: string | undefined;
  for (const k of map.keys()) if (min === undefined || k < min) min = k;
  return min as string;
}
