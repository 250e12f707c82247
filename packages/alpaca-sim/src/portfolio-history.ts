import { type Decimal, divideDecimal, mul, roundDecimal, sign, sub, trimDecimal } from '@friren/contracts';
import { format } from './decimal.js';
import { unprocessable } from './errors.js';
import { stableUint32 } from './ids.js';

export interface PortfolioHistory {
  timestamp: number[];
  equity: number[];
  profit_loss: number[];
  profit_loss_pct: number[];
  base_value: number;
  base_value_asof: string;
  timeframe: string;
}

export interface HistoryInput {
  period: string;
  timeframe: '1Min' | '5Min' | '15Min' | '1H' | '1D';
  equity: Decimal;
  lastEquity: Decimal;
  nowMs: number;
  /** Seeds the walk: same seed, account and clock → the same history. */
  seed: number;
  accountId: string;
}

const DAY_MS = 86_400_000;
const STEP_MS = { '1Min': 60_000, '5Min': 300_000, '15Min': 900_000, '1H': 3_600_000, '1D': DAY_MS } as const;
/** Alpaca serves minute bars only for periods under 30 days. */
const MAX_INTRADAY_MS = 30 * DAY_MS;
const TEN_THOUSAND = { units: 10_000n, scale: 0 } as const;

/**
 * GET /v2/account/portfolio/history. Daily points are weekdays at 00:00 UTC up to today; the last
 * point is the live equity and (daily) the one before it is last_equity, so the history agrees with
 * GET /v2/account. Earlier points walk backwards by a seeded return per timestamp (±1.5 % a day,
 * ±0.2 % a bar intraday), so a shorter period is exactly the tail of a longer one.
 */
export function portfolioHistory(input: HistoryInput): PortfolioHistory {
  const startMs = periodStart(input.nowMs, input.period);
  const daily = input.timeframe === '1D';
  if (!daily && input.nowMs - startMs > MAX_INTRADAY_MS) {
    throw unprocessable('intraday timeframes need a period under 30 days');
  }
  const timestamps = daily
    ? weekdays(startMs, input.nowMs)
    : bars(startMs, input.nowMs, STEP_MS[input.timeframe]);
  const values: Decimal[] = new Array(timestamps.length);
  const last = timestamps.length - 1;
  values[last] = input.equity;
  if (daily && last >= 1) values[last - 1] = roundDecimal(input.lastEquity, 2);
  const swing = daily ? 150 : 20; // basis points
  for (let i = daily ? last - 2 : last - 1; i >= 0; i -= 1) {
    const bps =
      (stableUint32('history', input.seed, input.accountId, timestamps[i + 1]!) % (2 * swing + 1)) - swing;
    const growth = { units: 10_000n + BigInt(bps), scale: 0 };
    values[i] = roundDecimal(divideDecimal(mul(values[i + 1]!, TEN_THOUSAND), growth, 2), 2);
  }
  const base = values[0]!;
  const reference = (i: number): Decimal => (daily && i > 0 ? values[i - 1]! : base);
  const num = (d: Decimal) => Number(format(trimDecimal(d)));
  return {
    timestamp: timestamps.map((ms) => Math.floor(ms / 1000)),
    equity: values.map(num),
    // Daily bars report each day's own P&L against the previous close (Alpaca resets P&L per day),
    // so profit_loss_pct is that day's return and deposits never show up as profit. Intraday bars
    // are measured from the base value.
    profit_loss: values.map((v, i) => num(sub(v, reference(i)))),
    profit_loss_pct: values.map((v, i) => {
      const ref = reference(i);
      return sign(ref) === 0 ? 0 : num(divideDecimal(sub(v, ref), ref, 8));
    }),
    base_value: num(base),
    base_value_asof: new Date(timestamps[0]!).toISOString().slice(0, 10),
    timeframe: input.timeframe,
  };
}

/** Start of the period: D and W count days, M and A count calendar months and years (UTC). */
function periodStart(nowMs: number, period: string): number {
  const n = Number(period.slice(0, -1));
  const unit = period.slice(-1);
  const d = new Date(nowMs);
  if (unit === 'D') return nowMs - n * DAY_MS;
  if (unit === 'W') return nowMs - 7 * n * DAY_MS;
  if (unit === 'M') d.setUTCMonth(d.getUTCMonth() - n);
  else d.setUTCFullYear(d.getUTCFullYear() - n);
  return d.getTime();
}

/** UTC midnights of weekdays in (start, now]; at least the latest weekday. */
function weekdays(startMs: number, nowMs: number): number[] {
  const out: number[] = [];
  let day = Math.floor(nowMs / DAY_MS) * DAY_MS;
  while (out.length === 0 || day > startMs) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(day);
    day -= DAY_MS;
  }
  return out.reverse();
}

/** Bar open times in (start, now], aligned to the step. */
function bars(startMs: number, nowMs: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = Math.floor(nowMs / stepMs) * stepMs; t > startMs || out.length === 0; t -= stepMs) out.push(t);
  return out.reverse();
}
