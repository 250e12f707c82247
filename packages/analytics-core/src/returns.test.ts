import { describe, expect, it } from 'vitest';
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  conditionalValueAtRisk,
  cumReturnsFinal,
  downsideRisk,
  maxDrawdown,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  valueAtRisk,
} from './returns.js';

/** Equal within 1e-8 (relative above 1); NaN only equals NaN, ±Infinity only itself. */
function expectClose(actual: number, expected: number): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  expect(Number.isFinite(actual), `${actual} should be finite`).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-8 * Math.max(1, Math.abs(expected)));
}

type Stats = Record<string, number>;
function all(r: number[]): Stats {
  return {
    maxDrawdown: maxDrawdown(r),
    annualReturn: annualReturn(r),
    annualVolatility: annualVolatility(r),
    sharpeRatio: sharpeRatio(r),
    sortinoRatio: sortinoRatio(r),
    downsideRisk: downsideRisk(r),
    calmarRatio: calmarRatio(r),
    valueAtRisk: valueAtRisk(r),
    conditionalValueAtRisk: conditionalValueAtRisk(r),
    tailRatio: tailRatio(r),
    cumReturnsFinal: cumReturnsFinal(r),
  };
}
function expectStats(r: number[], expected: Stats): void {
  const got = all(r);
  for (const [name, value] of Object.entries(expected)) {
    try {
      expectClose(got[name] as number, value);
    } catch (e) {
      throw new Error(`${name}: got ${got[name]}, expected ${value}`, { cause: e });
    }
  }
}
const { NaN: nan, POSITIVE_INFINITY: Inf } = Number;
const SQRT252 = Math.sqrt(252);

describe('return statistics (empyrical definitions)', () => {
  it('empty input: NaN everywhere', () => {
    expectStats([], Object.fromEntries(Object.keys(all([0])).map((k) => [k, nan])));
  });

  it('one element: nothing needing two points is defined', () => {
    expectStats([0.01], {
      maxDrawdown: 0, // 100 → 101: no fall
      annualReturn: 1.01 ** 252 - 1, // one day is 1/252 of a year
      annualVolatility: nan, // fewer than 2 returns
      sharpeRatio: nan,
      sortinoRatio: nan,
      downsideRisk: 0, // √(mean(min(0.01, 0)²)) = 0
      calmarRatio: nan, // no drawdown
      valueAtRisk: 0.01,
      conditionalValueAtRisk: 0.01,
      tailRatio: 1, // |0.01| / |0.01|
      cumReturnsFinal: 0.01,
    });
  });

  it('flat zero: 0/0 gives NaN', () => {
    expectStats([0, 0, 0, 0, 0], {
      maxDrawdown: 0,
      annualReturn: 0,
      annualVolatility: 0,
      sharpeRatio: nan, // 0 / 0
      sortinoRatio: nan, // 0 / 0
      downsideRisk: 0,
      calmarRatio: nan,
      valueAtRisk: 0,
      conditionalValueAtRisk: 0,
      tailRatio: nan, // 0 / 0
      cumReturnsFinal: 0,
    });
  });

  it('flat non-zero: x/0 gives ±Infinity, or a huge finite figure where numpy rounding leaves noise', () => {
    expectStats([0.01, 0.01, 0.01, 0.01, 0.01], {
      maxDrawdown: 0,
      annualReturn: 1.01 ** 252 - 1, // (1.01⁵)^(252/5) − 1
      annualVolatility: 0, // numpy's pairwise mean is exactly 0.01 here
      sharpeRatio: Inf, // 0.01 / 0
      sortinoRatio: Inf, // 0.01 × 252 / 0
      downsideRisk: 0,
      calmarRatio: nan,
      valueAtRisk: 0.01,
      conditionalValueAtRisk: 0.01,
      tailRatio: 1,
      cumReturnsFinal: 1.01 ** 5 - 1,
    });
    // Seven times −0.003 sums to −0.020999999999999998 in float64, so the mean is not exactly −0.003
    // and numpy's std is 4.684e−19, not 0: empyrical reports −1.0166649839167032e17, and so do we.
    expectClose(sharpeRatio(Array(7).fill(-0.003)), -1.0166649839167032e17);
    expect(sharpeRatio(Array(8).fill(-0.003))).toBe(-Inf); // 8 values: the 8-way sum is exact
  });

  it('two losses, worked by hand', () => {
    // mean −0.015; deviations ±0.005; sample variance (2 × 0.005²) / 1 = 0.00005.
    const std = Math.sqrt(0.00005);
    // Below-zero squares 0.0001, 0.0004: mean 0.00025 (ddof 0).
    const downside = Math.sqrt(0.00025) * SQRT252;
    const annual = (0.99 * 0.98) ** (252 / 2) - 1;
    expectStats([-0.01, -0.02], {
      maxDrawdown: 0.99 * 0.98 - 1, // 100 → 99 → 97.02: −2.98 %
      annualReturn: annual,
      annualVolatility: std * SQRT252,
      sharpeRatio: (-0.015 / std) * SQRT252, // −33.6749…
      downsideRisk: downside,
      sortinoRatio: (-0.015 * 252) / downside,
      calmarRatio: annual / 0.0298,
      valueAtRisk: -0.02 + 0.01 * 0.05, // index (2 − 1) × 0.05 between −0.02 and −0.01
      conditionalValueAtRisk: -0.02, // ⌊(2 − 1) × 0.05⌋ = 0: the single worst
      tailRatio: (-0.02 + 0.01 * 0.95) / (-0.02 + 0.01 * 0.05), // |−0.0105| / |−0.0195|
      cumReturnsFinal: 0.99 * 0.98 - 1,
    });
  });

  it('all negative', () => {
    // Sorted: −0.03, −0.02, −0.015, −0.01, −0.005. Index (5 − 1) × 0.05 = 0.2: −0.03 + 0.01 × 0.2 = −0.028;
    // index 3.8 for the 95th: −0.01 + 0.005 × 0.8 = −0.006; tail 0.006 / 0.028 = 0.2142857….
    // mean −0.016, sample var (0.006² + 0.004² + 0.014² + 0.001² + 0.011²) / 4 = 0.0000925.
    expectStats([-0.01, -0.02, -0.03, -0.015, -0.005], {
      maxDrawdown: 0.99 * 0.98 * 0.97 * 0.985 * 0.995 - 1,
      annualReturn: (0.99 * 0.98 * 0.97 * 0.985 * 0.995) ** (252 / 5) - 1,
      annualVolatility: Math.sqrt(0.0000925) * SQRT252, // 0.152676…
      sharpeRatio: (-0.016 / Math.sqrt(0.0000925)) * SQRT252, // −26.4088…
      downsideRisk: Math.sqrt(0.00033) * SQRT252, // mean of squares (0.0001+0.0004+0.0009+0.000225+0.000025)/5
      sortinoRatio: (-0.016 * 252) / (Math.sqrt(0.00033) * SQRT252), // −13.9818…
      calmarRatio:
        ((0.99 * 0.98 * 0.97 * 0.985 * 0.995) ** (252 / 5) - 1) / (1 - 0.99 * 0.98 * 0.97 * 0.985 * 0.995),
      valueAtRisk: -0.028,
      conditionalValueAtRisk: -0.03,
      tailRatio: 0.006 / 0.028,
    });
  });

  it('with NaN: skipped by the nan-aware reductions, propagated by the percentile', () => {
    // Non-NaN: 0.01, −0.02, 0.03, 0.005 (n = 6 for annualisation, 4 for means).
    // mean 0.00625; sample var (0.00375² + 0.02625² + 0.02375² + 0.00125²) / 3 = 0.00042291666….
    const variance = (0.00375 ** 2 + 0.02625 ** 2 + 0.02375 ** 2 + 0.00125 ** 2) / 3;
    const downside = Math.sqrt(0.0004 / 4) * SQRT252;
    expectStats([0.01, nan, -0.02, 0.03, nan, 0.005], {
      maxDrawdown: -0.02, // 101 → 98.98 from the 101 peak; NaN counts as 0
      annualReturn: (1.01 * 0.98 * 1.03 * 1.005) ** (252 / 6) - 1, // 1.7741…
      annualVolatility: Math.sqrt(variance) * SQRT252,
      sharpeRatio: (0.00625 / Math.sqrt(variance)) * SQRT252, // 4.8245…
      downsideRisk: downside,
      sortinoRatio: (0.00625 * 252) / downside, // 9.9215…
      calmarRatio: ((1.01 * 0.98 * 1.03 * 1.005) ** (252 / 6) - 1) / 0.02, // 88.7078…
      valueAtRisk: nan, // np.percentile propagates NaN
      conditionalValueAtRisk: -0.02, // k = ⌊5 × 0.05⌋ = 0; NaN sorts last
      // Over the 4 values sorted −0.02, 0.005, 0.01, 0.03: index 2.85 → 0.027; index 0.15 → −0.01625.
      tailRatio: (0.01 + 0.02 * 0.85) / (0.02 - 0.025 * 0.15), // 1.6615…
      cumReturnsFinal: 1.01 * 0.98 * 1.03 * 1.005 - 1,
    });
  });

  const mixed = [
    0.012, -0.004, 0.007, 0.0, -0.021, 0.015, 0.003, -0.009, 0.011, 0.002, -0.013, 0.018, 0.006, -0.002,
    0.004, -0.017, 0.009, 0.001, -0.006, 0.014,
  ];

  it('a mixed 20-day series, daily (values derived from the published definitions)', () => {
    expectStats(mixed, {
      maxDrawdown: -0.020999999999999987, // the −2.1 % day, never compounded deeper
      annualReturn: 0.43888641087340097,
      annualVolatility: 0.17070195632955365,
      sharpeRatio: 2.2143858695458714,
      sortinoRatio: 3.3084657994221347,
      downsideRisk: 0.11425235227337772,
      calmarRatio: 20.89935289873339,
      valueAtRisk: -0.0172, // index 0.95: −0.021 + 0.004 × 0.95
      conditionalValueAtRisk: -0.021, // ⌊19 × 0.05⌋ = 0
      tailRatio: 0.8808139534883722,
      cumReturnsFinal: 0.029299558732663433,
    });
  });

  it('weekly and monthly annualisation', () => {
    expectClose(annualReturn(mixed, { period: 'weekly' }), 0.07797489120132406);
    expectClose(annualVolatility(mixed, { period: 'weekly' }), 0.07754251804824987);
    expectClose(sharpeRatio(mixed, 0, { period: 'weekly' }), 1.005899756201694);
    expectClose(sortinoRatio(mixed, 0, { period: 'weekly' }), 1.5028929631504897);
    expectClose(calmarRatio(mixed, { period: 'weekly' }), 3.71309005720591);
    expectClose(annualReturn(mixed, { period: 'monthly' }), 0.017478103810420365);
    expectClose(sharpeRatio(mixed, 0, { period: 'monthly' }), 0.4832186126206935);
    expect(sharpeRatio(mixed, 0, { annualization: 12 })).toBe(sharpeRatio(mixed, 0, { period: 'monthly' }));
  });

  it('risk-free and required return as a constant or a series', () => {
    const series = Array.from({ length: 20 }, (_, i) => 0.0001 + (0.0001 * i) / 19);
    expectClose(sharpeRatio(mixed, 0.0001), 2.06676014490948);
    expectClose(sharpeRatio(mixed, series), 1.9929914465831906);
    expectClose(sortinoRatio(mixed, 0.001), 1.0298573010888739);
    expectClose(sortinoRatio(mixed, series), 2.9470107758755124);
    expectClose(downsideRisk(mixed, series), 0.1154390078193493);
    expect(() => sharpeRatio(mixed, [0.0001])).toThrow(RangeError);
  });

  it('VaR / CVaR at another cutoff, and only-positive returns', () => {
    expectClose(valueAtRisk(mixed, 0.1), -0.013399999999999999);
    expectClose(conditionalValueAtRisk(mixed, 0.1), -0.019000000000000003); // ⌊1.9⌋ + 1 = 2 worst
    const up = [0.01, 0.02, 0.005];
    expect(sortinoRatio(up)).toBe(Inf); // no downside
    expect(calmarRatio(up)).toBeNaN(); // no drawdown
    expect(maxDrawdown(up)).toBe(0);
  });
});
