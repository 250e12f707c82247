import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { formatFixed, QUANTITY_SCALE } from './fixed.js';
import type { AnalyticsTrade, PnlMethod } from './types.js';

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
        // The per-strategy and per-day splits add up to the same total.
        let byDay = 0n;
        for (const s of fifo.strategies.values()) for (const v of s.daily.values()) byDay += v;
        expect(byDay).toBe(fifo.realized);
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

  it('counts every closing fill once per breakdown', () => {
    fc.assert(
      fc.property(fc.array(fillArb, { maxLength: 60 }), (raw) => {
        const acc = fold('fifo', raw.map(toTrade));
        const total = acc.overall.count;
        const sum = (xs: Iterable<{ count: number }>) => [...xs].reduce((a, s) => a + s.count, 0);
        expect(sum(acc.sentiment)).toBe(total);
        expect(sum(acc.confidence)).toBe(total);
        expect(sum([...acc.strategies.values()].map((s) => s.stats))).toBe(total);
        expect(sum([...acc.symbols.values()].map((s) => s.stats))).toBe(total);
        expect(acc.fills).toBe(raw.length);
      }),
      { numRuns: 100 },
    );
  });
});
