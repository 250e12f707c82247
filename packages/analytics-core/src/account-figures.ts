import {
  type AnnualizationOptions,
  calmarRatio,
  cumReturnsFinal,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
} from './returns.js';
import type { DailyReturn, PortfolioHistoryPoint } from './types.js';

/** Where the broker's figures come from: Alpaca, or the demo's simulated broker. */
export type BrokerSource = 'alpaca' | 'simulator';

export interface BrokerFigures {
  readonly source: BrokerSource | 'unknown';
  /** First and last day of the returns (null with none). */
  readonly from: string | null;
  readonly to: string | null;
  /** Daily returns used (the history's base day is not one). */
  readonly days: number;
  /** Today's return is the live snapshot's (equity / last_equity − 1), not the history's point. */
  readonly live_today: boolean;
  /** Latest equity, decimal string as the broker gives it. */
  readonly equity: string | null;
  readonly total_return_pct: number;
  readonly sharpe_ratio: number;
  readonly sortino_ratio: number;
  readonly max_drawdown_pct: number;
  readonly calmar_ratio: number;
}

export interface BrokerInput {
  readonly history: readonly PortfolioHistoryPoint[];
  /** The broker's account snapshot now: its New York date, equity and equity at the last close. */
  readonly live?: { readonly date: string; readonly equity: string; readonly lastEquity: string };
  readonly source?: BrokerSource;
  readonly riskFree?: number;
  readonly requiredReturn?: number;
  readonly annualization?: AnnualizationOptions;
}

/**
 * The account's daily returns from the broker: the history's `profit_loss_pct` without its first
 * point (the base day, 0 by construction), and for today — when the live snapshot is given — its
 * equity / last_equity − 1 in place of the history's point, which may be stale. Today is counted
 * once it is a day of the account: a history point, or a live equity that differs from last_equity.
 */
export function brokerDailyReturns(input: BrokerInput): DailyReturn[] {
  const days = [...input.history].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: DailyReturn[] = days.slice(1).map((d) => ({ date: d.date, return: d.profit_loss_pct }));
  const live = input.live;
  if (live === undefined) return out;
  const equity = Number(live.equity);
  const last = Number(live.lastEquity);
  if (!(Number.isFinite(equity) && last > 0)) return out;
  const stale = out.findIndex((r) => r.date >= live.date);
  const hadPoint = days.some((d) => d.date === live.date);
  if (stale !== -1) out.length = stale;
  if (hadPoint || equity !== last) out.push({ date: live.date, return: equity / last - 1 });
  return out;
}

export function brokerFigures(input: BrokerInput): BrokerFigures {
  const returns = brokerDailyReturns(input);
  const r = returns.map((d) => d.return);
  const latest = input.history.reduce<PortfolioHistoryPoint | undefined>(
    (m, p) => (m === undefined || p.date > m.date ? p : m),
    undefined,
  );
  const liveToday = input.live !== undefined && returns.at(-1)?.date === input.live.date;
  return {
    source: input.source ?? 'unknown',
    from: returns[0]?.date ?? null,
    to: returns.at(-1)?.date ?? null,
    days: r.length,
    live_today: liveToday,
    equity: input.live?.equity ?? latest?.equity ?? null,
    ...returnFigures(r, input),
  };
}

/** Return, Sharpe, Sortino, max drawdown and Calmar of a daily series; ratios NaN below 2 days. */
export function returnFigures(
  returns: readonly number[],
  options: Pick<BrokerInput, 'riskFree' | 'requiredReturn' | 'annualization'> = {},
): {
  total_return_pct: number;
  sharpe_ratio: number;
  sortino_ratio: number;
  max_drawdown_pct: number;
  calmar_ratio: number;
} {
  const enough = returns.length >= 2;
  return {
    total_return_pct: cumReturnsFinal(returns) * 100,
    sharpe_ratio: enough ? sharpeRatio(returns, options.riskFree ?? 0, options.annualization) : Number.NaN,
    sortino_ratio: enough
      ? sortinoRatio(returns, options.requiredReturn ?? 0, options.annualization)
      : Number.NaN,
    max_drawdown_pct: maxDrawdown(returns) * 100,
    calmar_ratio: enough ? calmarRatio(returns, options.annualization) : Number.NaN,
  };
}
