import { describe, expect, it } from 'vitest';
import { conditionalValueAtRisk, valueAtRisk } from './returns.js';
import { riskFigures } from './risk.js';

describe('risk figures', () => {
  it('computes exposures exactly and tail risk from daily returns', () => {
    const returns = [0.01, -0.02, 0.005, -0.04, 0.03, 0.0, -0.01];
    const r = riskFigures({
      positions: [
        { symbol: 'AAPL', quantity: '10', price: '100' }, // 1000
        { symbol: 'TSLA', quantity: '-6', price: '200' }, // −1200
        { symbol: 'MSFT', quantity: '2', price: '50.005' }, // 100.01
        { symbol: 'AAPL', quantity: '1', price: '100' }, // second AAPL row: 1100 in all
      ],
      equity: '10000',
      returns,
    });
    expect(r).toMatchObject({
      gross_exposure: '2400.01', // 1100 + 1200 + 100.01
      net_exposure: '0.01',
      long_exposure: '1200.01',
      short_exposure: '-1200',
      largest_position: { symbol: 'TSLA', exposure: '-1200' },
      exposure_by_symbol: { AAPL: '1100', TSLA: '-1200', MSFT: '100.01' },
    });
    expect(r.gross_exposure_pct).toBeCloseTo(24.0001, 12);
    expect(r.largest_position_pct).toBeCloseTo(12, 12);
    // Sorted: −0.04, −0.02, −0.01, 0, 0.005, 0.01, 0.03; index 6 × 0.05 = 0.3 → −0.04 + 0.02 × 0.3.
    expect(r.var_95).toBeCloseTo(-0.034, 15);
    expect(r.var_95).toBe(valueAtRisk(returns, 0.05));
    expect(r.cvar_95).toBe(-0.04); // ⌊0.3⌋ = 0: the worst day alone
    expect(r.cvar_95).toBe(conditionalValueAtRisk(returns));
  });

  it('is empty without positions', () => {
    const r = riskFigures({ positions: [], equity: '0', returns: [] });
    expect(r).toMatchObject({ gross_exposure: '0', largest_position: null, largest_position_pct: 0 });
    expect(r.var_95).toBeNaN();
  });
});
