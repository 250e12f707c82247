import type { TradeJobInput } from '@friren/contracts';
import { newYorkDate, newYorkTime, pastWeekdays } from './calendar.js';
import { DEFAULT_DEMO_LIMITS, type DemoLimits } from './decide.js';
import { clamp } from './market.js';
import { createRandom, type Random } from './random.js';
import { meanReversion, momentum, newsSentiment } from './strategies.js';

export interface HistoryInput {
  /** The account alias the fills are recorded under. */
  readonly account: string;
  /** The simulator's quotes now: each symbol's path ends at its quote on the last past day. */
  readonly prices: Readonly<Record<string, string>>;
  readonly nowMs: number;
  /** New York weekdays of history before today (default 30). */
  readonly days?: number;
  readonly seed?: number;
  readonly limits?: DemoLimits;
}

/** A history fill: a trade job whose money and time are the strings this module writes. */
export type HistoryTrade = TradeJobInput & { quantity: string; price: string; timestamp: string };

export interface DemoHistory {
  /** Every trade id of this history starts with it (the New York day it was made for). */
  readonly idPrefix: string;
  /** The past New York weekdays it covers, oldest first. */
  readonly days: readonly string[];
  /** In time order; every strategy ends the last day flat. */
  readonly trades: readonly HistoryTrade[];
}

export const HISTORY_DAYS = 30;
/** Picked so the default account's month shows a loser beside two winners (any seed gives a plausible month). */
const HISTORY_SEED = 19;
/** Days of prices before the first traded day, so the strategies' averages have something to chew on. */
const WARMUP = 15;
/** Daily volatility by symbol (roughly their 2025 levels); others get 1.8 %. */
const DAILY_VOL: Readonly<Record<string, number>> = {
  AAPL: 0.015,
  MSFT: 0.013,
  NVDA: 0.028,
  AMZN: 0.02,
  SPY: 0.009,
};
const OPEN_MIN = 9 * 60 + 30;
const CLOSE_MIN = 16 * 60;
/** Below this a rebalance is not worth an order. */
const MIN_TRADE_VALUE = 100;

/** The history's trade-id prefix for the New York day of `nowMs`. */
export function historyIdPrefix(nowMs: number): string {
  return `demo-hist-${newYorkDate(nowMs).replaceAll('-', '')}-`;
}

interface DayPath {
  readonly open: number;
  readonly close: number;
  /** The symbol's simulated FinBERT score that day, in [-1, 1]. */
  readonly sentiment: number;
  readonly vol: number;
}

/**
 * Daily bars per symbol over warm-up + traded days, built backwards from today's quote so the last
 * past close is the simulator's price and every earlier one is a plausible walk away from it.
 * Sentiment persists a little and leans the day's return its way (the news-sentiment edge).
 */
function paths(symbols: readonly string[], prices: HistoryInput['prices'], total: number, random: Random) {
  const out = new Map<string, DayPath[]>();
  for (const symbol of symbols) {
    const vol = DAILY_VOL[symbol] ?? 0.018;
    const sentiment: number[] = [];
    const ret: number[] = [];
    const gap: number[] = [];
    let s = 0;
    for (let t = 0; t < total; t++) {
      s = clamp(0.5 * s + 0.45 * random.normal(), -1, 1);
      if (random.next() < 0.08) s = (random.next() < 0.5 ? -1 : 1) * (0.6 + 0.35 * random.next());
      sentiment.push(s);
      ret.push(vol * (0.95 * random.normal() + 0.2 * s));
      gap.push(0.3 * vol * random.normal());
    }
    const close = new Array<number>(total);
    close[total - 1] = Number(prices[symbol]);
    for (let t = total - 1; t > 0; t--) close[t - 1] = (close[t] as number) / Math.exp(ret[t] as number);
    const days: DayPath[] = [];
    for (let t = 0; t < total; t++) {
      const prev = t > 0 ? (close[t - 1] as number) : (close[0] as number) / Math.exp(ret[0] as number);
      days.push({
        open: prev * Math.exp(gap[t] as number),
        close: close[t] as number,
        sentiment: sentiment[t] as number,
        vol,
      });
    }
    out.set(symbol, days);
  }
  return out;
}

/** A price during the session: a bridge from open to close with some intraday noise, in cents. */
function priceAt(day: DayPath, minute: number, random: Random): number {
  const f = clamp((minute - OPEN_MIN) / (CLOSE_MIN - OPEN_MIN), 0, 1);
  const drift = day.open * (day.close / day.open) ** f;
  const noise = 0.25 * day.vol * Math.sqrt(f * (1 - f)) * random.normal();
  return Math.max(0.01, Math.round(drift * Math.exp(noise) * 100) / 100);
}

interface Fill {
  readonly strategy: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number;
  readonly price: number;
  readonly minute: number;
  readonly second: number;
  readonly signal: number;
  readonly sentiment: number;
}

/**
 * A seeded, deterministic month of the demo strategies' fills before today, for `friren up --demo`
 * on an empty ledger: each strategy trades its own way, so their daily results differ.
 * - momentum (15:50): holds NVDA, AMZN, AAPL in proportion to its fast-over-slow trend, else nothing;
 * - mean-reversion (15:55): buys SPY, MSFT, AAPL below their 5-day average, sells them back above it;
 * - news-sentiment (on the day's news, 10:00–14:30): buys on good news, sells on bad, else trims.
 * Positions are whole shares under the live demo's cap, never short, and closed by the last past
 * day's close, so the ledger's positions still agree with the broker's (which never saw these fills).
 * Same account, quotes, seed and New York day → the same trades and trade ids.
 */
export function demoHistory(input: HistoryInput): DemoHistory {
  const limits = input.limits ?? DEFAULT_DEMO_LIMITS;
  const days = pastWeekdays(input.nowMs, input.days ?? HISTORY_DAYS);
  const random = createRandom((input.seed ?? HISTORY_SEED) ^ hash(input.account));
  const symbols = [...new Set([...momentum.symbols, ...meanReversion.symbols, ...newsSentiment.symbols])]
    .filter((s) => input.prices[s] !== undefined)
    .sort();
  const bars = paths(symbols, input.prices, WARMUP + days.length, random);
  const held = new Map<string, number>();
  const key = (strategy: string, symbol: string) => `${strategy}\u0000${symbol}`;
  const fills: { day: number; fill: Fill }[] = [];

  const trade = (i: number, f: Omit<Fill, 'second'>) => {
    if (f.qty < 1) return;
    const k = key(f.strategy, f.symbol);
    held.set(k, (held.get(k) ?? 0) + (f.side === 'buy' ? f.qty : -f.qty));
    fills.push({ day: i, fill: { ...f, second: Math.floor(random.next() * 60) } });
  };
  /** Moves a strategy's holding towards `target` dollars at `price`. */
  const rebalance = (
    i: number,
    strategy: string,
    symbol: string,
    target: number,
    price: number,
    o: Pick<Fill, 'minute' | 'signal' | 'sentiment'>,
  ) => {
    const owned = held.get(key(strategy, symbol)) ?? 0;
    const want = Math.floor(clamp(target, 0, limits.maxPositionValue) / price);
    const diff = want - owned;
    if (Math.abs(diff) * price < MIN_TRADE_VALUE && !(want === 0 && owned > 0)) return;
    if (diff !== 0)
      trade(i, { strategy, symbol, side: diff > 0 ? 'buy' : 'sell', qty: Math.abs(diff), price, ...o });
  };

  for (let i = 0; i < days.length; i++) {
    const t = WARMUP + i;
    const closesBefore = (symbol: string, n: number) =>
      bars
        .get(symbol)!
        .slice(Math.max(0, t - n), t)
        .map((b) => b.close);

    for (const symbol of newsSentiment.symbols) {
      const bar = bars.get(symbol)?.[t];
      if (bar === undefined) continue;
      const minute = 10 * 60 + Math.floor(random.next() * 270);
      const price = priceAt(bar, minute, random);
      const owned = held.get(key(newsSentiment.name, symbol)) ?? 0;
      const o = { minute, signal: round(bar.sentiment, 4), sentiment: round(bar.sentiment, 4) };
      if (bar.sentiment > 0.3) {
        const lot = limits.minLot + (limits.maxLot - limits.minLot) * Math.min(1, bar.sentiment);
        rebalance(i, newsSentiment.name, symbol, owned * price + lot, price, o);
      } else if (bar.sentiment < -0.1 && owned > 0) {
        trade(i, { strategy: newsSentiment.name, symbol, side: 'sell', qty: owned, price, ...o });
      } else if (owned > 0 && random.next() < 0.3) {
        trade(i, {
          strategy: newsSentiment.name,
          symbol,
          side: 'sell',
          qty: Math.ceil(owned / 2),
          price,
          ...o,
        });
      }
    }

    for (const symbol of momentum.symbols) {
      const bar = bars.get(symbol)?.[t];
      if (bar === undefined) continue;
      const minute = 15 * 60 + 50;
      const price = priceAt(bar, minute, random);
      const series = [...closesBefore(symbol, WARMUP), price];
      const trend = (ema(series, 0.5) - ema(series, 0.15)) / ema(series, 0.15) / bar.vol;
      const signal = Math.tanh(trend);
      rebalance(i, momentum.name, symbol, signal > 0.15 ? signal * limits.maxPositionValue : 0, price, {
        minute,
        signal: round(signal, 4),
        sentiment: round(bar.sentiment, 4),
      });
    }

    for (const symbol of meanReversion.symbols) {
      const bar = bars.get(symbol)?.[t];
      if (bar === undefined) continue;
      const minute = 15 * 60 + 55;
      const price = priceAt(bar, minute, random);
      const recent = closesBefore(symbol, 5);
      const mean = recent.reduce((s, p) => s + p, 0) / recent.length;
      const sd = Math.sqrt(recent.reduce((s, p) => s + (p - mean) ** 2, 0) / recent.length) || bar.vol * mean;
      const signal = -Math.tanh((price - mean) / sd / 1.5);
      const owned = held.get(key(meanReversion.name, symbol)) ?? 0;
      // Buys the dip in proportion to it, holds through the middle, sells once the price is back above.
      const target = signal > 0.2 ? signal * limits.maxPositionValue : signal < -0.1 ? 0 : owned * price;
      rebalance(i, meanReversion.name, symbol, target, price, {
        minute,
        signal: round(signal, 4),
        sentiment: round(bar.sentiment, 4),
      });
    }
  }

  // Flat by the last past close: whatever is still held is sold at 15:58.
  const last = days.length - 1;
  for (const [k, qty] of [...held].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (qty <= 0) continue;
    const [strategy, symbol] = k.split('\u0000') as [string, string];
    const bar = bars.get(symbol)![WARMUP + last] as DayPath;
    trade(last, {
      strategy,
      symbol,
      side: 'sell',
      qty,
      price: priceAt(bar, 15 * 60 + 58, random),
      minute: 15 * 60 + 58,
      signal: -1,
      sentiment: round(bar.sentiment, 4),
    });
  }

  const idPrefix = historyIdPrefix(input.nowMs);
  const timed = fills.map(({ day, fill }) => ({
    fill,
    at: Date.parse(newYorkTime(days[day] as string, fill.minute)) + fill.second * 1000,
  }));
  // Stable sort: a strategy's same-second fills keep the order they were decided in.
  timed.sort((a, b) => a.at - b.at);
  const trades = timed.map(
    ({ fill, at }, n): HistoryTrade => ({
      trade_id: `${idPrefix}${String(n + 1).padStart(5, '0')}`,
      account: input.account,
      symbol: fill.symbol,
      side: fill.side,
      quantity: String(fill.qty),
      price: fill.price.toFixed(2),
      timestamp: new Date(at).toISOString(),
      strategy_used: fill.strategy,
      finbert_sentiment: fill.sentiment,
      confidence_score: round(clamp(0.35 + 0.6 * Math.abs(fill.signal), 0.01, 0.99), 3),
      metadata: { source: 'friren-demo-history', signal: fill.signal },
    }),
  );
  return { idPrefix, days, trades };
}

function ema(values: readonly number[], alpha: number): number {
  let e = values[0] ?? 0;
  for (const v of values) e = alpha * v + (1 - alpha) * e;
  return e;
}

function round(n: number, places: number): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

/** FNV-1a of a string, to give each account its own history. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
