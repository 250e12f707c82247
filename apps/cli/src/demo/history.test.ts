import { describe, expect, it } from 'vitest';
import { newYorkDate, newYorkTime, pastWeekdays } from './calendar.js';
import { demoHistory } from './history.js';

const PRICES = { AAPL: '195.40', MSFT: '421.35', NVDA: '182.50', AMZN: '228.30', SPY: '668.20' };
/** Friday 2026-12-04, 11:00 in New York (EST). */
const NOW = Date.parse('2026-12-04T16:00:00Z');

describe('demo calendar', () => {
  it('counts New York weekdays back from the day before today, skipping weekends', () => {
    expect(pastWeekdays(NOW, 6)).toEqual([
      '2026-11-26',
      '2026-11-27',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
    ]);
    // 02:00Z on Saturday is still Friday evening in New York: Friday is today, not a past day.
    expect(pastWeekdays(Date.parse('2026-12-05T02:00:00Z'), 1)).toEqual(['2026-12-03']);
  });

  it('turns New York wall-clock times into UTC on both sides of the end of daylight saving', () => {
    expect(newYorkTime('2026-10-30', 15 * 60 + 50)).toBe('2026-10-30T19:50:00.000Z'); // EDT, −4 h
    expect(newYorkTime('2026-11-02', 15 * 60 + 50)).toBe('2026-11-02T20:50:00.000Z'); // EST, −5 h
    expect(newYorkDate(Date.parse('2026-11-03T03:00:00Z'))).toBe('2026-11-02');
  });
});

describe('demoHistory', () => {
  const h = demoHistory({ account: 'demo', prices: PRICES, nowMs: NOW });
  const nyDay = (t: { timestamp: string }) => newYorkDate(Date.parse(t.timestamp));

  it('is the same for the same account, quotes and day, with ids named for that day', () => {
    expect(demoHistory({ account: 'demo', prices: PRICES, nowMs: NOW + 3_600_000 })).toEqual(h);
    expect(h.idPrefix).toBe('demo-hist-20261204-');
    expect(new Set(h.trades.map((t) => t.trade_id)).size).toBe(h.trades.length);
    for (const t of h.trades) expect(t.trade_id.startsWith(h.idPrefix)).toBe(true);
    const other = demoHistory({ account: 'other', prices: PRICES, nowMs: NOW });
    expect(other.trades.map((t) => t.price)).not.toEqual(h.trades.map((t) => t.price));
  });

  it('covers 30 past New York weekdays in session hours, nothing today or later, in time order', () => {
    expect(h.days).toHaveLength(30);
    for (const t of h.trades) {
      expect(h.days).toContain(nyDay(t));
      const [hh, mm] = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
      })
        .format(Date.parse(t.timestamp))
        .split(':')
        .map(Number) as [number, number];
      expect(hh * 60 + mm).toBeGreaterThanOrEqual(10 * 60);
      expect(hh * 60 + mm).toBeLessThan(16 * 60);
      expect(Date.parse(t.timestamp)).toBeLessThan(NOW);
    }
    const times = h.trades.map((t) => Date.parse(t.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('gives each strategy fills on many days, its own symbols only, never short, flat at the end', () => {
    const own: Record<string, string[]> = {
      momentum: ['NVDA', 'AMZN', 'AAPL'],
      'mean-reversion': ['SPY', 'MSFT', 'AAPL'],
      'news-sentiment': ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'SPY'],
    };
    const held = new Map<string, number>();
    const days = new Map<string, Set<string>>();
    for (const t of h.trades) {
      expect(own[t.strategy_used]).toContain(t.symbol);
      expect(Number.isInteger(Number(t.quantity)) && Number(t.quantity) > 0).toBe(true);
      const k = `${t.strategy_used} ${t.symbol}`;
      const q = (held.get(k) ?? 0) + (t.side === 'buy' ? 1 : -1) * Number(t.quantity);
      expect(q).toBeGreaterThanOrEqual(0);
      held.set(k, q);
      if (!days.has(t.strategy_used)) days.set(t.strategy_used, new Set());
      days.get(t.strategy_used)!.add(nyDay(t));
    }
    expect([...held.values()].every((q) => q === 0)).toBe(true);
    expect([...days.keys()].sort()).toEqual(Object.keys(own).sort());
    for (const d of days.values()) expect(d.size).toBeGreaterThanOrEqual(10);
  });

  it('prices every fill plausibly against today’s quote: within 40 %, the last day within 6 %', () => {
    const lastDay = h.days.at(-1);
    for (const t of h.trades) {
      const quote = Number(PRICES[t.symbol as keyof typeof PRICES]);
      const ratio = Number(t.price) / quote;
      expect(t.price).toMatch(/^\d+\.\d\d$/);
      expect(ratio).toBeGreaterThan(0.6);
      expect(ratio).toBeLessThan(1.4);
      if (nyDay(t) === lastDay) expect(Math.abs(ratio - 1)).toBeLessThan(0.06);
    }
  });

  it('holds positions under the live demo’s cap of $8,000 per strategy and symbol', () => {
    const held = new Map<string, number>();
    for (const t of h.trades) {
      const k = `${t.strategy_used} ${t.symbol}`;
      const q = (held.get(k) ?? 0) + (t.side === 'buy' ? 1 : -1) * Number(t.quantity);
      held.set(k, q);
      expect(q * Number(t.price)).toBeLessThanOrEqual(8_000);
    }
  });
});
