import { divRoundHalfEven } from '@friren/contracts';
import { formatMoney, parseMoney } from './fixed.js';

/** Serialised `RunningTradeStats`: money as decimal strings. */
export interface TradeStatsState {
  readonly count: number;
  readonly wins: number;
  readonly losses: number;
  readonly gross_profit: string;
  readonly gross_loss: string;
  readonly largest_win: string;
  readonly largest_loss: string;
  readonly losing_streak: number;
  readonly longest_losing_streak: number;
}

/**
 * Running sums over closing fills, O(1) per fill. Realized P&L is not stored: it is
 * gross profit + gross loss, which saves a bigint addition per fill.
 */
export class RunningTradeStats {
  /** Closing fills seen. */
  count = 0;
  wins = 0;
  losses = 0;
  /** Σ of positive realized P&L, money scale. */
  grossProfit = 0n;
  /** Σ of negative realized P&L (≤ 0), money scale. */
  grossLoss = 0n;
  /** Largest positive realized P&L (0 until the first win). */
  largestWin = 0n;
  /** Most negative realized P&L (0 until the first loss). */
  largestLoss = 0n;
  /** Current run of consecutive losing closing fills (a break-even fill ends it). */
  losingStreak = 0;
  longestLosingStreak = 0;

  record(pnl: bigint): void {
    this.count++;
    if (pnl > 0n) {
      this.wins++;
      this.grossProfit += pnl;
      if (pnl > this.largestWin) this.largestWin = pnl;
      this.losingStreak = 0;
    } else if (pnl < 0n) {
      this.losses++;
      this.grossLoss += pnl;
      if (pnl < this.largestLoss) this.largestLoss = pnl;
      if (++this.losingStreak > this.longestLosingStreak) this.longestLosingStreak = this.losingStreak;
    } else {
      this.losingStreak = 0;
    }
  }

  get realized(): bigint {
    return this.grossProfit + this.grossLoss;
  }

  toJSON(): TradeStatsState {
    return {
      count: this.count,
      wins: this.wins,
      losses: this.losses,
      gross_profit: formatMoney(this.grossProfit),
      gross_loss: formatMoney(this.grossLoss),
      largest_win: formatMoney(this.largestWin),
      largest_loss: formatMoney(this.largestLoss),
      losing_streak: this.losingStreak,
      longest_losing_streak: this.longestLosingStreak,
    };
  }

  /** Replaces this state with a serialised one. */
  load(state: TradeStatsState): this {
    this.count = state.count;
    this.wins = state.wins;
    this.losses = state.losses;
    this.grossProfit = parseMoney(state.gross_profit);
    this.grossLoss = parseMoney(state.gross_loss);
    this.largestWin = parseMoney(state.largest_win);
    this.largestLoss = parseMoney(state.largest_loss);
    this.losingStreak = state.losing_streak;
    this.longestLosingStreak = state.longest_losing_streak;
    return this;
  }
}

/** Trade statistics of one scope (the account, a strategy, a symbol, a bucket). */
export interface TradeStatistics {
  readonly closing_trades: number;
  readonly winning_trades: number;
  readonly losing_trades: number;
  readonly breakeven_trades: number;
  readonly realized_pnl: string;
  /** Open lots at current prices; `null` where the scope holds no lots (sentiment, confidence). */
  readonly unrealized_pnl: string | null;
  /** realized + unrealized; `null` with `unrealized_pnl`. */
  readonly total_pnl: string | null;
  readonly gross_profit: string;
  readonly gross_loss: string;
  /** Winners / all closing fills × 100 (break-even fills count in the denominator); NaN with none. */
  readonly win_rate_pct: number;
  /** Gross profit / |gross loss|: +Infinity with no loss, NaN with neither. */
  readonly profit_factor: number;
  /** Realized P&L per closing fill, rounded half-even to 18 decimals; `'0'` with none. */
  readonly expectancy: string;
  /** `null` with no winners / no losers. */
  readonly average_win: string | null;
  readonly average_loss: string | null;
  /** Average win / |average loss|; +Infinity with no loss, NaN with no win. */
  readonly payoff_ratio: number;
  readonly largest_win: string | null;
  readonly largest_loss: string | null;
  readonly longest_losing_streak: number;
}

/** Derives the reported figures from running sums (and the scope's unrealized P&L, if it has one). */
export function tradeStatistics(stats: RunningTradeStats, unrealized?: bigint): TradeStatistics {
  const { count, wins, losses, grossProfit, grossLoss } = stats;
  const realized = grossProfit + grossLoss;
  const absLoss = -grossLoss;
  return {
    closing_trades: count,
    winning_trades: wins,
    losing_trades: losses,
    breakeven_trades: count - wins - losses,
    realized_pnl: formatMoney(realized),
    unrealized_pnl: unrealized === undefined ? null : formatMoney(unrealized),
    total_pnl: unrealized === undefined ? null : formatMoney(realized + unrealized),
    gross_profit: formatMoney(grossProfit),
    gross_loss: formatMoney(grossLoss),
    win_rate_pct: count === 0 ? Number.NaN : (wins / count) * 100,
    profit_factor: ratio(grossProfit, absLoss),
    expectancy: count === 0 ? '0' : formatMoney(divRoundHalfEven(realized, BigInt(count))),
    average_win: wins === 0 ? null : formatMoney(divRoundHalfEven(grossProfit, BigInt(wins))),
    average_loss: losses === 0 ? null : formatMoney(divRoundHalfEven(grossLoss, BigInt(losses))),
    payoff_ratio:
      wins === 0
        ? Number.NaN
        : losses === 0
          ? Number.POSITIVE_INFINITY
          : ratio(grossProfit, absLoss) * (losses / wins),
    largest_win: wins === 0 ? null : formatMoney(stats.largestWin),
    largest_loss: losses === 0 ? null : formatMoney(stats.largestLoss),
    longest_losing_streak: stats.longestLosingStreak,
  };
}

/** a / b as a float: NaN for 0/0, +Infinity for x/0 (both operands ≥ 0 here). */
function ratio(a: bigint, b: bigint): number {
  if (b === 0n) return a === 0n ? Number.NaN : Number.POSITIVE_INFINITY;
  return Number(a) / Number(b);
}
