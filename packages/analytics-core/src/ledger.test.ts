import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { formatMoney } from './fixed.js';
import type { AnalyticsTrade, PnlMethod } from './types.js';
import { openPositions, unrealizedPnl } from './unrealized.js';

let seq = 0;
/** `fill('AAPL', +10, '50')`: a signed quantity, buy when positive. */
function fill(symbol: string, signed: number, price: string, fees = '0', strategy = 's1'): AnalyticsTrade {
  seq++;
  return {
    trade_id: `t${seq}`,
    account: 'acct',
    symbol,
    side: signed > 0 ? 'buy' : 'sell',
    quantity: String(Math.abs(signed)),
    price,
    fees,
    timestamp: `2024-03-0${1 + (seq % 5)}T15:00:00Z`,
    strategy_used: strategy,
  };
}

/** Realized P&L of each fill as decimal strings (`null` for opening fills). */
function realizedPerFill(method: PnlMethod, fills: AnalyticsTrade[]): (string | null)[] {
  const acc = new AnalyticsAccumulator({ method });
  return fills.map((f) => {
    const r = acc.add(f);
    return r === null ? null : formatMoney(r);
  });
}

describe('hand-worked ledgers', () => {
  it("pyfolio's example +10@50, +10@100, −10@100, −10@200 realizes 1500 under both methods", () => {
    const fills = [fill('X', 10, '50'), fill('X', 10, '100'), fill('X', -10, '100'), fill('X', -10, '200')];
    // FIFO: 10 × (100 − 50) = 500, then 10 × (200 − 100) = 1000.
    expect(realizedPerFill('fifo', fills)).toEqual([null, null, '500', '1000']);
    // Average: cost 500 + 1000 = 1500 for 20 → 75 each; 10 × (100 − 75) = 250, 10 × (200 − 75) = 1250.
    expect(realizedPerFill('average', fills)).toEqual([null, null, '250', '1250']);
    for (const method of ['fifo', 'average'] as const) {
      expect(formatMoney(new AnalyticsAccumulator({ method }).addAll(fills).realized)).toBe('1500');
    }
  });

  it('FIFO and average cost differ per fill on the same partial closes, agree once flat', () => {
    const fills = [fill('X', 10, '10'), fill('X', 10, '20'), fill('X', -5, '30'), fill('X', -15, '25')];
    // FIFO: 5 × (30 − 10) = 100; then 5 × (25 − 10) + 10 × (25 − 20) = 75 + 50 = 125.
    expect(realizedPerFill('fifo', fills)).toEqual([null, null, '100', '125']);
    // Average: (100 + 200) / 20 = 15; 5 × (30 − 15) = 75; 15 × (25 − 15) = 150.
    expect(realizedPerFill('average', fills)).toEqual([null, null, '75', '150']);
    // Both: sells 150 + 375 − buys 100 + 200 = 225.
  });

  it('a short covered in two fills, fees on every fill', () => {
    const fills = [fill('S', -10, '100', '1'), fill('S', 4, '90', '0.5'), fill('S', 6, '95', '0.5')];
    // Open: received 1000 − 1 = 999 → lot cost −999.
    // Cover 4 @ 90: pays 360 + 0.5; cost removed −999 × 4/10 = −399.6 → −360.5 + 399.6 = 39.1
    //   (= 4 × (100 − 90) − 0.4 opening-fee share − 0.5).
    // Cover 6 @ 95: pays 570 + 0.5; removes the remaining −599.4 → 28.9. Total 68 = 1000 − 930 − 2.
    for (const method of ['fifo', 'average'] as const) {
      expect(realizedPerFill(method, fills)).toEqual([null, '39.1', '28.9']);
    }
  });

  it('a flip from +10 to −5 in one fill splits the fee and opens a short lot', () => {
    const acc = new AnalyticsAccumulator();
    acc.add(fill('F', 10, '20', '1')); // cost 200 + 1 = 201
    // Sell 15 @ 22, fee 1.5: closing part 10/15 of the fee = 1; 10 × 22 − 1 − 201 = 18.
    expect(formatMoney(acc.add(fill('F', -15, '22', '1.5'))!)).toBe('18');
    // The other 5 open short: received 5 × 22 − 0.5 = 109.5 → cost −109.5.
    expect(openPositions(acc)).toEqual([
      {
        symbol: 'F',
        quantity: '-5',
        cost_basis: '-109.5',
        lots: [expect.objectContaining({ quantity: '-5', cost: '-109.5' })],
      },
    ]);
    // Cover 5 @ 21: −105 + 109.5 = 4.5. Total 22.5 = sells 330 − buys 305 − fees 2.5.
    expect(formatMoney(acc.add(fill('F', 5, '21'))!)).toBe('4.5');
    expect(formatMoney(acc.realized)).toBe('22.5');
    expect(openPositions(acc)).toEqual([]);
  });

  it('fees on both sides come out of the round trip', () => {
    // 100 × (11 − 10) = 100, less 1 + 1 of fees = 98.
    expect(realizedPerFill('fifo', [fill('Q', 100, '10', '1'), fill('Q', -100, '11', '1')])).toEqual([
      null,
      '98',
    ]);
  });

  it('average cost carries basis and quantity, not a rounded price, so a full close is exact', () => {
    const fills = [fill('A', 1, '10'), fill('A', 2, '11'), fill('A', -1, '12'), fill('A', -2, '12')];
    // Basis 32 for 3. Sell 1: removes 32/3 = 10.666666666666666666 (truncated at 1e-18)
    //   → 12 − 10.666666666666666666 = 1.333333333333333334.
    // Sell 2: removes the remaining 21.333333333333333334 → 24 − that = 2.666666666666666666.
    expect(realizedPerFill('average', fills)).toEqual([
      null,
      null,
      '1.333333333333333334',
      '2.666666666666666666',
    ]);
    // Total exactly 36 − 32 = 4.
    expect(formatMoney(new AnalyticsAccumulator({ method: 'average' }).addAll(fills).realized)).toBe('4');
  });

  it('a FIFO close spanning lots prorates the last one it touches', () => {
    const acc = new AnalyticsAccumulator();
    acc.addAll([fill('L', 2, '10', '0.3'), fill('L', 3, '20', '0.3')]);
    // Sell 4 @ 25: lot 1 whole (cost 20.3), 2/3 of lot 2 (cost 60.3 × 2/3 = 40.2) → 100 − 60.5 = 39.5.
    expect(formatMoney(acc.add(fill('L', -4, '25'))!)).toBe('39.5');
    expect(openPositions(acc)[0]).toMatchObject({ quantity: '1', cost_basis: '20.1' });
  });

  it('unrealized P&L is quantity × price − cost for longs and shorts, by opening strategy', () => {
    const acc = new AnalyticsAccumulator();
    acc.add(fill('L', 10, '50', '1', 'alpha')); // cost 501
    acc.add(fill('S', -5, '22', '0.5', 'beta')); // cost −109.5
    acc.add(fill('M', 1, '7')); // no price given
    const u = unrealizedPnl(acc, { L: '55', S: '20' });
    // L: 550 − 501 = 49; S: −100 + 109.5 = 9.5.
    expect(formatMoney(u.bySymbol.get('L')!)).toBe('49');
    expect(formatMoney(u.bySymbol.get('S')!)).toBe('9.5');
    expect(formatMoney(u.byStrategy.get('alpha')!)).toBe('49');
    expect(formatMoney(u.byStrategy.get('beta')!)).toBe('9.5');
    expect(formatMoney(u.total)).toBe('58.5');
    expect(u.missingPrices).toEqual(['M']);
  });

  it('refuses malformed fills and other accounts without changing state', () => {
    const acc = new AnalyticsAccumulator({ account: 'acct' });
    const before = JSON.stringify(acc.toJSON());
    expect(() => acc.add({ ...fill('X', 1, '1'), quantity: '0' })).toThrow(/quantity/);
    expect(() => acc.add({ ...fill('X', 1, '1'), price: '-1' })).toThrow(/price/);
    expect(() => acc.add({ ...fill('X', 1, '1'), fees: '1e3' })).toThrow(RangeError);
    expect(() => acc.add({ ...fill('X', 1, '1'), account: 'other' })).toThrow(/account/);
    expect(JSON.stringify(acc.toJSON())).toBe(before);
    const fresh = new AnalyticsAccumulator();
    expect(() => fresh.add({ ...fill('X', 1, '1'), timestamp: 'soon' })).toThrow(RangeError);
    expect(fresh.account).toBeNull();
  });

  it('a strategy closes only its own lots; another strategy’s sell opens a short of its own', () => {
    const acc = new AnalyticsAccumulator();
    acc.add({ ...fill('X', 10, '10', '0', 'opener'), timestamp: '2024-03-01T15:00:00Z' });
    // 23:30 at −05:00 is 04:30 UTC on the 2nd, still the 1st in New York (the broker's day).
    const r = acc.add({ ...fill('X', -10, '12', '0', 'closer'), timestamp: '2024-03-01T23:30:00-05:00' });
    expect(formatMoney(r!)).toBe('20'); // the account's book: flat, +20
    expect(acc.strategies.get('opener')!.stats.count).toBe(0);
    expect(acc.strategies.get('closer')!.stats.count).toBe(0);
    expect(acc.strategies.get('closer')!.positions.get('X')!.book.position).toBe(-10n * 10n ** 9n);
    // At 11: opener 110 − 100 = +10, closer −110 + 120 = +10: together the account's 20.
    const u = unrealizedPnl(acc, { X: '11' });
    expect([...u.byStrategy].map(([k, v]) => [k, formatMoney(v)])).toEqual([
      ['opener', '10'],
      ['closer', '10'],
    ]);
    // The opener closes its own lot the next New York day.
    acc.add({ ...fill('X', -10, '13', '0', 'opener'), timestamp: '2024-03-02T15:00:00Z' });
    expect([...acc.strategies.get('opener')!.daily]).toEqual([['2024-03-02', 30n * 10n ** 18n]]);
    expect(acc.strategies.get('closer')!.flows.flows.map((f) => f.day)).toEqual(['2024-03-01']);
  });
});
