import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { buildPerformanceSummary, type PerformanceInput } from './performance.js';
import { reusableDays } from './series-cache.js';
import type { AnalyticsTrade, PnlMethod, PortfolioHistoryPoint } from './types.js';

const SYMBOLS = ['AAA', 'BBB', 'BTC/USD'];
const STRATEGIES = ['mom', 'rev', 'news'];
const day = (d: number) => `2024-02-${String(d).padStart(2, '0')}`;

const fillArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  buy: fc.boolean(),
  quantity: fc.integer({ min: 1, max: 50 }),
  price: fc.integer({ min: 1, max: 300 }),
  strategy: fc.constantFrom(...STRATEGIES),
  // Any day up to the end of the month: a fill may be dated before earlier-folded ones.
  day: fc.integer({ min: 1, max: 28 }),
});
type Fill = typeof fillArb extends fc.Arbitrary<infer T> ? T : never;

/** A recorded broker mark set (a price, or a bad one) or removed, for a past or future day. */
const markEditArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  day: fc.integer({ min: 1, max: 28 }),
  value: fc.option(fc.oneof(fc.integer({ min: 1, max: 300 }).map(String), fc.constant('bad'))),
});
const historyEditArb = fc.record({
  day: fc.integer({ min: 1, max: 28 }),
  equity: fc.integer({ min: 1, max: 9 }),
});
const stepArb = fc.record({
  fills: fc.array(fillArb, { maxLength: 8 }),
  marks: fc.array(markEditArb, { maxLength: 4 }),
  history: fc.option(historyEditArb),
  advance: fc.integer({ min: 0, max: 3 }),
  live: fc.option(fc.integer({ min: 1, max: 300 })),
});

let n = 0;
const trade = (f: Fill): AnalyticsTrade => ({
  id: String(++n),
  trade_id: `t${n}`,
  account: 'acct',
  symbol: f.symbol,
  side: f.buy ? 'buy' : 'sell',
  quantity: String(f.quantity),
  price: String(f.price),
  fees: '0',
  timestamp: `${day(f.day)}T15:00:00Z`,
  strategy_used: f.strategy,
});

describe('series cache', () => {
  it('incremental with the cache equals a from-scratch summary, with late fills and changed marks', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 6 }),
        fc.constantFrom<PnlMethod>('fifo', 'average'),
        (steps, method) => {
          const cached = new AnalyticsAccumulator({ method });
          const all: AnalyticsTrade[] = [];
          const closes = new Map<string, Map<string, string>>();
          const history = new Map<string, string>();
          let today = 5;
          for (const step of steps) {
            const trades = step.fills.map(trade);
            all.push(...trades);
            cached.addAll(trades);
            for (const m of step.marks) {
              const byDay = closes.get(m.symbol) ?? new Map<string, string>();
              closes.set(m.symbol, byDay);
              if (m.value === null) byDay.delete(day(m.day));
              else byDay.set(day(m.day), m.value);
            }
            if (step.history !== null) history.set(day(step.history.day), `${step.history.equity}0000`);
            today = Math.min(28, today + step.advance);
            const input: PerformanceInput = {
              prices: new Map(step.live === null ? [] : SYMBOLS.map((s) => [s, String(step.live)])),
              history: [...history].map(
                ([date, equity]): PortfolioHistoryPoint => ({ date, equity, profit_loss_pct: 0 }),
              ),
              closes: new Map([...closes].map(([s, m]) => [s, new Map(m)])),
              asOf: `${day(today)}T20:00:00Z`,
            };
            const fresh = new AnalyticsAccumulator({ method }).addAll(all);
            expect(buildPerformanceSummary(cached, input)).toEqual(buildPerformanceSummary(fresh, input));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  // Days 02-05 … 02-07 held at recorded marks, today 02-07.
  const closes = new Map([
    [
      'AAA',
      new Map([
        [day(5), '10'],
        [day(6), '12'],
        [day(7), '13'],
      ]),
    ],
  ]);
  const input: PerformanceInput = {
    prices: new Map(),
    history: [5, 6, 7].map((d) => ({ date: day(d), equity: '1000', profit_loss_pct: 0 })),
    closes,
    asOf: `${day(7)}T20:00:00Z`,
  };
  const fill = (d: number, quantity: number): AnalyticsTrade =>
    trade({ symbol: 'AAA', buy: true, quantity, price: 10, strategy: 'mom', day: d });

  it('keeps the closed days before today, and drops the days from a late fill on', () => {
    const acc = new AnalyticsAccumulator().addAll([fill(5, 1), fill(7, 1)]);
    buildPerformanceSummary(acc, input);
    const days = [day(5), day(6), day(7)];
    expect(reusableDays(acc.seriesCache, days, undefined, day(7))).toBe(2);
    acc.add(fill(6, 1));
    expect(reusableDays(acc.seriesCache, days, acc.takeTouchedFrom(), day(7))).toBe(1);
    expect(reusableDays(acc.seriesCache, [day(5), day(7)], undefined, day(7))).toBe(1);
  });

  it('reuses a cached day instead of recomputing it (a tampered cache shows through)', () => {
    const acc = new AnalyticsAccumulator().addAll([fill(5, 1), fill(7, 1)]);
    // Bought 1 at 10 on 02-05 (marked 10: P&L 0), marked 12 on 02-06 (+2); bought 1 more at 10
    // on 02-07, 2 units marked 13: 26 − 12 − 10 = +4.
    const before = buildPerformanceSummary(acc, input).series.strategies.get('mom')!;
    expect(before.map((d) => d.pnl)).toEqual([0n, 2n * 10n ** 18n, 4n * 10n ** 18n]);
    const cache = acc.seriesCache!;
    cache.values.get('mom')!.total[1] = 11n * 10n ** 18n;
    const after = buildPerformanceSummary(acc, input).series.strategies.get('mom')!;
    // The cached 02-06 value (now 11) is reused: 11 − 10 = +1 that day, 26 − 11 − 10 = +5 today.
    expect(after.map((d) => d.pnl)).toEqual([0n, 1n * 10n ** 18n, 5n * 10n ** 18n]);
  });
});
