import { formatMoney, type TradingDay, type TradingSeries } from '@friren/analytics-core';
import { OVERALL_STRATEGY, type PerformanceDailyRow } from '@friren/db';

/**
 * The `performance_daily` rows of an account (trading by strategy, from the ledger), one per
 * strategy per New York day from its first fill day, and overall (`strategy = ''`, all strategies
 * together): `realized_pnl` that day on the strategy's own lots, the running total, and
 * `daily_return` = that day's trading P&L (realized + change in unrealized at the day's marks) over
 * the account equity at the previous close. The broker's own daily returns are in `equity_daily`.
 *
 * Only the rows from `from` (inclusive; '' for all) are returned: a recompute rewrites the days its
 * new fills, history or marks touched. Earlier days are still summed for the running totals.
 */
export function dailyRows(account: string, series: TradingSeries, from = ''): PerformanceDailyRow[] {
  const rows: PerformanceDailyRow[] = [];
  const add = (strategy: string, days: readonly TradingDay[]) => {
    let cumulative = 0n;
    for (const d of days) {
      cumulative += d.realized;
      if (d.date < from) continue;
      rows.push({
        account,
        strategy,
        date: d.date,
        realized_pnl: formatMoney(d.realized),
        cumulative_realized_pnl: formatMoney(cumulative),
        daily_return: Number.isFinite(d.return) ? d.return : null,
      });
    }
  };
  for (const [strategy, days] of series.strategies) add(strategy, days);
  add(OVERALL_STRATEGY, series.total);
  return rows;
}
