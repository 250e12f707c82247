import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { formatFixed, formatMoney, QUANTITY_SCALE } from './fixed.js';
import { buildPerformanceSummary } from './performance.js';
import { tradingSeries } from './series.js';
import type { AnalyticsTrade, PnlMethod } from './types.js';
import { unrealizedPnl } from './unrealized.js';

const SYMBOLS = ['AAA', 'BBB', 'BTC/USD'];
const STRATEGIES = ['mom', 'rev', 'news'];

/** A fill as scaled integers (scale 9), turned into ledger strings by `toTrade`. */
const fillArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  buy: fc.boolean(),
  q9: fc.bigInt({ min: 1n, max: 5_000_000_000_000n }), // up to 5000 units, 9 decimals
  p9: fc.bigInt({ min: 1n, max: 20_000_000_000_000n }), // up to 20000, 9 decimals
  f9: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10_000_000_000n })),
  strategy: fc.constantFrom(...STRATEGIES),
  sentiment: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
  confidence: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  day: fc.integer({ min: 1, max: 28 }),
});
type Fill = typeof fillArb extends fc.Arbitrary<infer T> ? T : never;

function toTrade(f: Fill, i: number): AnalyticsTrade {
  return {
    id: String(i + 1),
    trade_id: `t${i}`,
    account: 'acct',
    symbol: f.symbol,
    side: f.buy ? 'buy' : 'sell',
    quantity: formatFixed(f.q9, QUANTITY_SCALE),
    price: formatFixed(f.p9, QUANTITY_SCALE),
    fees: formatFixed(f.f9, QUANTITY_SCALE),
    timestamp: `2024-02-${String(f.day).padStart(2, '0')}T14:00:00.000Z`,
    strategy_used: f.strategy,
    finbert_sentiment: f.sentiment,
    confidence_score: f.confidence,
  };
}

/** Appends, per symbol, the fill that brings its position back to zero. */
function flatten(fills: Fill[]): Fill[] {
  const position = new Map<string, bigint>();
  for (const f of fills) position.set(f.symbol, (position.get(f.symbol) ?? 0n) + (f.buy ? f.q9 : -f.q9));
  const closes: Fill[] = [];
  for (const [symbol, q] of position) {
    if (q === 0n) continue;
    closes.push({ ...(fills[0] as Fill), symbol, buy: q < 0n, q9: q < 0n ? -q : q, p9: 1_234_567_891n });
  }
  return [...fills, ...closes];
}

/** Σ sell proceeds − Σ buy costs − Σ fees, money scale: the fold's answer for any flat book. */
function cashFlow(fills: Fill[]): bigint {
  let cash = 0n;
  for (const f of fills) cash += (f.buy ? -f.q9 * f.p9 : f.q9 * f.p9) - f.f9 * 1_000_000_000n;
  return cash;
}

const fold = (method: PnlMethod, trades: AnalyticsTrade[]) =>
  new AnalyticsAccumulator({ method }).addAll(trades);

describe('accumulator properties', () => {
  it('realized P&L of any fully closed sequence equals the cash-flow identity exactly, for both methods', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 60 }), (raw) => {
        const fills = flatten(raw);
        const trades = fills.map(toTrade);
        const fifo = fold('fifo', trades);
        const average = fold('average', trades);
        expect(fifo.realized).toBe(cashFlow(fills));
        expect(average.realized).toBe(fifo.realized);
        // Each strategy's per-day split adds up to its own realized P&L.
        for (const s of fifo.strategies.values()) {
          let byDay = 0n;
          for (const v of s.daily.values()) byDay += v;
          expect(byDay).toBe(s.stats.realized);
        }
        expect(fifo.fees).toBe(fills.reduce((a, f) => a + f.f9 * 1_000_000_000n, 0n));
      }),
      { numRuns: 200 },
    );
  });

  it('folding in any batch split gives the same state as one pass', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.constantFrom<PnlMethod>('fifo', 'average'),
        (raw, cuts, method) => {
          const trades = raw.map(toTrade);
          const whole = fold(method, trades).toJSON();
          const bounds = [...new Set(cuts.map((c) => c % (trades.length + 1)))].sort((a, b) => a - b);
          const acc = new AnalyticsAccumulator({ method });
          let from = 0;
          for (const to of [...bounds, trades.length]) {
            acc.addAll(trades.slice(from, to));
            from = to;
          }
          expect(acc.toJSON()).toEqual(whole);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('serialise → restore → continue equals the uninterrupted fold', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 60 }),
        fc.nat(),
        fc.constantFrom<PnlMethod>('fifo', 'average'),
        (raw, cut, method) => {
          const trades = raw.map(toTrade);
          const at = cut % (trades.length + 1);
          const first = fold(method, trades.slice(0, at));
          const restored = AnalyticsAccumulator.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
          restored.addAll(trades.slice(at));
          expect(restored.toJSON()).toEqual(fold(method, trades).toJSON());
        },
      ),
      { numRuns: 100 },
    );
  });

  it('stores a strategy lot as [signed quantity, cost] and still loads a version-2 state', () => {
    // mom buys 10 @ 50 with a 1 fee, sells 4 @ 60: its own lot keeps 6 at cost 501 − 200.4 = 300.6.
    const trades: AnalyticsTrade[] = [
      {
        trade_id: 'a',
        account: 'x',
        symbol: 'AAA',
        side: 'buy',
        quantity: '10',
        price: '50',
        fees: '1',
        timestamp: '2024-01-02T15:00:00Z',
        strategy_used: 'mom',
      },
      {
        trade_id: 'b',
        account: 'x',
        symbol: 'AAA',
        side: 'sell',
        quantity: '4',
        price: '60',
        fees: '0',
        timestamp: '2024-01-02T16:00:00Z',
        strategy_used: 'mom',
      },
    ];
    const state = new AnalyticsAccumulator().addAll(trades).toJSON();
    expect(state.version).toBe(3);
    expect(state.strategies[0]?.positions[0]?.lots).toEqual([['6', '300.6']]);
    expect(state.symbols[0]?.lots).toEqual([
      { trade_id: 'a', opened_at: '2024-01-02T15:00:00Z', strategy: 'mom', quantity: '6', cost: '300.6' },
    ]);
    const v2 = {
      ...state,
      version: 2 as const,
      strategies: state.strategies.map((s) => ({
        ...s,
        positions: s.positions.map((p) => ({
          ...p,
          lots: [
            {
              trade_id: 'a',
              opened_at: '2024-01-02T15:00:00Z',
              strategy: 'mom',
              quantity: '6',
              cost: '300.6',
            },
          ],
        })),
      })),
    };
    const restored = AnalyticsAccumulator.fromJSON(v2);
    expect(restored.toJSON()).toEqual(state);
    // The restored strategy lot closes like the original: 6 @ 40 realizes 240 − 300.6 = −60.6;
    // with the first close's 240 − 200.4 = 39.6, the strategy has realized −21.
    restored.add({
      ...trades[1],
      trade_id: 'c',
      quantity: '6',
      price: '40',
      timestamp: '2024-01-03T15:00:00Z',
    } as AnalyticsTrade);
    expect(formatMoney(restored.strategies.get('mom')?.stats.realized ?? 0n)).toBe('-21');
  });

  it('counts every closing fill once per breakdown', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 60 }), (raw) => {
        const acc = fold('fifo', raw.map(toTrade));
        const total = acc.overall.count;
        const sum = (xs: Iterable<{ count: number }>) => [...xs].reduce((a, s) => a + s.count, 0);
        expect(sum(acc.sentiment)).toBe(total);
        expect(sum(acc.confidence)).toBe(total);
        for (const s of acc.strategies.values()) {
          expect(s.stats.count).toBe(s.flows.flows.reduce((a, f) => a + f.closes, 0));
        }
        expect(sum([...acc.symbols.values()].map((s) => s.stats))).toBe(total);
        expect(acc.fills).toBe(raw.length);
      }),
      { numRuns: 100 },
    );
  });
});

describe('strategy books against the account book', () => {
  const marksArb = fc.record({
    AAA: fc.bigInt({ min: 1n, max: 20_000_000_000_000n }),
    BBB: fc.bigInt({ min: 1n, max: 20_000_000_000_000n }),
    'BTC/USD': fc.bigInt({ min: 1n, max: 20_000_000_000_000n }),
  });
  const priceMap = (m: Record<string, bigint>) =>
    Object.fromEntries(Object.entries(m).map(([s, p]) => [s, formatFixed(p, QUANTITY_SCALE)]));

  it('Σ over strategies of realized + unrealized = the account’s, at the same marks, fees included', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 80 }),
        marksArb,
        fc.constantFrom<PnlMethod>('fifo', 'average'),
        (raw, marks, method) => {
          const acc = fold(method, raw.map(toTrade));
          const u = unrealizedPnl(acc, priceMap(marks));
          let strategies = 0n;
          for (const [name, s] of acc.strategies)
            strategies += s.stats.realized + (u.byStrategy.get(name) ?? 0n);
          expect(strategies).toBe(acc.realized + u.total);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the daily P&L of all days adds up to the total P&L, per strategy and overall', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { minLength: 1, maxLength: 60 }), marksArb, (raw, marks) => {
        const acc = fold('fifo', raw.map(toTrade));
        const summary = buildPerformanceSummary(acc, {
          prices: priceMap(marks),
          history: [],
          asOf: '2024-02-29T20:00:00Z',
        });
        const series = tradingSeries(acc, {
          history: [],
          live: { date: '2024-02-29', prices: priceMap(marks) },
        });
        const sum = (days: readonly { pnl: bigint }[]) => days.reduce((a, d) => a + d.pnl, 0n);
        for (const [name, days] of series.strategies) {
          expect(formatMoney(sum(days))).toBe(summary.strategies[name]!.total_pnl);
        }
        expect(formatMoney(sum(series.total))).toBe(summary.overall.total_pnl);
      }),
      { numRuns: 150 },
    );
  });

  it('rebuild equals incremental: the same summary after any split and a restore in between', () => {
    fc.assert(
      fc.property(
        fc.array(fillArb, { maxLength: 60 }),
        fc.nat(),
        marksArb,
        fc.constantFrom<PnlMethod>('fifo', 'average'),
        (raw, cut, marks, method) => {
          const trades = raw.map(toTrade);
          const at = cut % (trades.length + 1);
          const first = fold(method, trades.slice(0, at));
          const restored = AnalyticsAccumulator.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
          restored.addAll(trades.slice(at));
          const input = {
            prices: priceMap(marks),
            history: [
              { date: '2024-02-01', equity: '100000', profit_loss_pct: 0 },
              { date: '2024-02-15', equity: '101000', profit_loss_pct: 0.01 },
            ],
            asOf: '2024-02-29T20:00:00Z',
          };
          expect(buildPerformanceSummary(restored, input)).toEqual(
            buildPerformanceSummary(fold(method, trades), input),
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
