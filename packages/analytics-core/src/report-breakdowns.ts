import type { BreakdownLine, PerformanceBreakdowns } from '@friren/contracts';
import type { AnalyticsAccumulator } from './accumulator.js';
import { breakdowns } from './breakdowns.js';
import { formatFixed, QUANTITY_SCALE } from './fixed.js';
import type { PerformanceSummary } from './performance.js';
import { riskFigures } from './risk.js';
import type { TradeStatistics } from './trade-stats.js';

/** Breakdowns and risk as the performance hash carries them (one definition, in contracts). */
export type ReportBreakdowns = PerformanceBreakdowns;

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function line(t: TradeStatistics): BreakdownLine {
  return {
    closing_trades: t.closing_trades,
    realized_pnl: t.realized_pnl,
    unrealized_pnl: t.unrealized_pnl,
    win_rate_pct: finite(t.win_rate_pct),
    profit_factor: finite(t.profit_factor),
  };
}

const lines = (r: Readonly<Record<string, TradeStatistics>>) =>
  Object.fromEntries(Object.entries(r).map(([k, t]) => [k, line(t)]));

/**
 * Breakdowns of the account's closing fills by symbol, FinBERT sentiment bucket and confidence
 * quintile (of the closing fill), and risk of the account's open positions at the summary's marks:
 * exposures, largest position as a share of `equity`, VaR / CVaR 95 % of `returns`.
 */
export function reportBreakdowns(
  acc: AnalyticsAccumulator,
  summary: PerformanceSummary,
  equity: string | null,
  returns: readonly number[],
): ReportBreakdowns {
  const prices = Object.fromEntries(Object.entries(summary.marks).map(([s, m]) => [s, m.price]));
  const b = breakdowns(acc, prices);
  const positions = [];
  for (const [symbol, { book }] of acc.symbols) {
    const price = prices[symbol];
    if (book.position === 0n || price === undefined) continue;
    positions.push({ symbol, quantity: formatFixed(book.position, QUANTITY_SCALE), price });
  }
  const risk = riskFigures({ positions, equity: equity ?? 'NaN', returns });
  return {
    by_symbol: lines(b.by_symbol),
    by_sentiment: lines(b.by_sentiment),
    by_confidence: lines(b.by_confidence),
    risk: {
      var_95: finite(risk.var_95),
      cvar_95: finite(risk.cvar_95),
      gross_exposure: risk.gross_exposure,
      net_exposure: risk.net_exposure,
      gross_exposure_pct: finite(risk.gross_exposure_pct),
      net_exposure_pct: finite(risk.net_exposure_pct),
      largest_position: risk.largest_position?.symbol ?? null,
      largest_position_pct: risk.largest_position === null ? null : finite(risk.largest_position_pct),
      equity,
    },
  };
}
