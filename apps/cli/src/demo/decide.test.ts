import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_LIMITS, decide } from './decide.js';
import { DEMO_START_PRICES, DemoMarket } from './market.js';
import { createRandom } from './random.js';
import { DEMO_STRATEGIES } from './strategies.js';

describe('demo strategies', () => {
  it('over a long run never sell more than they hold, stay under the cap, and both buy and sell', () => {
    const random = createRandom(7);
    const market = new DemoMarket(DEMO_START_PRICES, random);
    const books = new Map<string, Map<string, number>>();
    const sides = { buy: 0, sell: 0 };
    for (let t = 0; t < 3_000; t++) {
      market.step();
      for (const strategy of DEMO_STRATEGIES) {
        const book = books.get(strategy.name) ?? new Map<string, number>();
        books.set(strategy.name, book);
        const d = decide(strategy, market, (s) => book.get(s) ?? 0, random);
        if (d === null) continue;
        expect(Number.isInteger(d.qty) && d.qty > 0).toBe(true);
        expect(d.confidence).toBeGreaterThanOrEqual(0);
        expect(d.confidence).toBeLessThanOrEqual(1);
        expect(Math.abs(d.sentiment)).toBeLessThanOrEqual(1);
        const held = book.get(d.symbol) ?? 0;
        if (d.side === 'sell') expect(d.qty).toBeLessThanOrEqual(held);
        const after = held + (d.side === 'buy' ? d.qty : -d.qty);
        expect(after * market.price(d.symbol)).toBeLessThanOrEqual(
          DEFAULT_DEMO_LIMITS.maxPositionValue + 1e-9,
        );
        book.set(d.symbol, after);
        sides[d.side]++;
      }
    }
    expect(sides.buy).toBeGreaterThan(500);
    expect(sides.sell).toBeGreaterThan(500);
  });

  it('keeps prices near their starting levels and publishes cent strings', () => {
    const market = new DemoMarket(DEMO_START_PRICES, createRandom(1));
    let last: Record<string, string> = {};
    for (let t = 0; t < 36_000; t++) last = market.step(); // ten hours
    for (const [symbol, price] of Object.entries(last)) {
      expect(price).toMatch(/^\d+\.\d{2}$/);
      const start = Number(DEMO_START_PRICES[symbol]);
      expect(Number(price)).toBeGreaterThan(start * 0.7);
      expect(Number(price)).toBeLessThan(start * 1.3);
    }
  });
});
