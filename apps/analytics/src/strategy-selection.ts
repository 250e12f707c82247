import { formatMoney, type PerformanceFigures, parseMoney } from '@friren/analytics-core';

export interface StrategySelection {
  /** The strategies that get series of their own, largest |total P&L| first. */
  readonly shown: readonly [string, PerformanceFigures][];
  /** How many strategies were left out of `shown`. */
  readonly others: number;
  /** Exact sum of the left-out strategies' total P&L ('0' when none). */
  readonly othersPnl: string;
}

/**
 * The `max` strategies with the largest |total P&L| (ties: more trades first, then name), and the
 * rest summed: Prometheus keeps one series per label set, so per-strategy series need a bound.
 */
export function selectStrategies(
  strategies: Readonly<Record<string, PerformanceFigures>>,
  max: number,
): StrategySelection {
  const ranked = Object.entries(strategies).map(([name, f]) => {
    const pnl = parseMoney(f.total_pnl);
    return { name, f, pnl, size: pnl < 0n ? -pnl : pnl };
  });
  ranked.sort((a, b) => {
    if (a.size !== b.size) return a.size > b.size ? -1 : 1;
    if (a.f.trades_count !== b.f.trades_count) return b.f.trades_count - a.f.trades_count;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const rest = ranked.slice(max);
  return {
    shown: ranked.slice(0, max).map((r) => [r.name, r.f]),
    others: rest.length,
    othersPnl: formatMoney(rest.reduce((sum, r) => sum + r.pnl, 0n)),
  };
}
