import type { AnalyticsAccumulator } from './accumulator.js';
import { MONEY_SCALE, toFloat } from './fixed.js';
import type { DailyReturn, PortfolioHistoryPoint } from './types.js';

/** Where account returns come from: the broker's daily `profit_loss_pct`, or equity_d / equity_{d−1} − 1. */
export type AccountReturnSource = 'profit_loss_pct' | 'equity';

/** History sorted by date (a copy; the input is left alone). */
function byDate(history: readonly PortfolioHistoryPoint[]): PortfolioHistoryPoint[] {
  return [...history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The account's daily simple returns. From `profit_loss_pct` (default): one per history day, the
 * broker's figure, which leaves deposits and withdrawals out. From `equity`: one per day after the
 * first, equity_d / equity_{d−1} − 1 (deposits count as returns there).
 */
export function accountDailyReturns(
  history: readonly PortfolioHistoryPoint[],
  source: AccountReturnSource = 'profit_loss_pct',
): DailyReturn[] {
  const days = byDate(history);
  if (source === 'profit_loss_pct') return days.map((d) => ({ date: d.date, return: d.profit_loss_pct }));
  const out: DailyReturn[] = [];
  for (let i = 1; i < days.length; i++) {
    const cur = days[i] as PortfolioHistoryPoint;
    out.push({
      date: cur.date,
      return: Number(cur.equity) / Number((days[i - 1] as PortfolioHistoryPoint).equity) - 1,
    });
  }
  return out;
}

/**
 * Equity at the start of each history day: the previous day's closing equity; for the first day,
 * its close less its own return (equity / (1 + profit_loss_pct)).
 */
export function startOfDayEquity(
  history: readonly PortfolioHistoryPoint[],
): { date: string; equity: number }[] {
  const days = byDate(history);
  return days.map((d, i) => ({
    date: d.date,
    equity:
      i > 0
        ? Number((days[i - 1] as PortfolioHistoryPoint).equity)
        : Number(d.equity) / (1 + d.profit_loss_pct),
  }));
}

/**
 * Each strategy's daily returns on the history's days: the realized P&L attributed to it (closing
 * fill's strategy) over the day — plus any days since the previous history day, such as a weekend's
 * crypto fills — divided by the account equity at the start of that day. P&L before the first
 * history day or after the last is outside the series. A start equity of 0 gives NaN or ±Infinity.
 */
export function strategyDailyReturns(
  accumulator: AnalyticsAccumulator,
  history: readonly PortfolioHistoryPoint[],
): Map<string, DailyReturn[]> {
  const starts = startOfDayEquity(history);
  const out = new Map<string, DailyReturn[]>();
  for (const [name, strategy] of accumulator.strategies) {
    const pnl = [...strategy.daily].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const series: DailyReturn[] = [];
    let j = 0;
    for (let i = 0; i < starts.length; i++) {
      const { date, equity } = starts[i] as { date: string; equity: number };
      // Window (previous history day, date]; the first window is the first day alone.
      if (i === 0) while (j < pnl.length && (pnl[j] as [string, bigint])[0] < date) j++;
      let sum = 0n;
      while (j < pnl.length && (pnl[j] as [string, bigint])[0] <= date)
        sum += (pnl[j++] as [string, bigint])[1];
      series.push({ date, return: toFloat(sum, MONEY_SCALE) / equity });
    }
    out.set(name, series);
  }
  return out;
}
