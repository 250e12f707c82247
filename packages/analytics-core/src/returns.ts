import { mean, nanMean, nanStd, percentile } from './numpy.js';

/**
 * Return statistics over periodic simple returns, with empyrical's definitions and edge cases
 * (NaN for too-short input, ±Infinity where its division gives it). Formulas: see the README.
 */

export type Period = 'daily' | 'weekly' | 'monthly';

/** Periods per year. */
export const ANNUALIZATION_FACTORS: Readonly<Record<Period, number>> = {
  daily: 252,
  weekly: 52,
  monthly: 12,
};

export interface AnnualizationOptions {
  /** Default `daily` (252). */
  readonly period?: Period;
  /** Periods per year; overrides `period`. */
  readonly annualization?: number;
}

/** A per-period constant or a series as long as the returns. */
export type Benchmark = number | readonly number[];

type Returns = readonly number[];

export function annualizationFactor(options: AnnualizationOptions = {}): number {
  return options.annualization ?? ANNUALIZATION_FACTORS[options.period ?? 'daily'];
}

/** returns − benchmark, element-wise (empyrical's `_adjust_returns`). */
function adjust(returns: Returns, benchmark: Benchmark): readonly number[] {
  if (typeof benchmark === 'number') return benchmark === 0 ? returns : returns.map((r) => r - benchmark);
  if (benchmark.length !== returns.length) {
    throw new RangeError(`benchmark series has ${benchmark.length} values, returns have ${returns.length}`);
  }
  return returns.map((r, i) => r - (benchmark[i] as number));
}

/** Π(1 + r) over the non-NaN returns (`np.nanprod(returns + 1)`). */
function growth(returns: Returns): number {
  let product = 1;
  for (const r of returns) if (!Number.isNaN(r)) product *= 1 + r;
  return product;
}

/** Compounded return over the series, NaN treated as 0 (`cum_returns_final`); NaN when empty. */
export function cumReturnsFinal(returns: Returns): number {
  return returns.length === 0 ? Number.NaN : growth(returns) - 1;
}

/** Largest peak-to-trough fall of the compounded series (≤ 0; NaN returns count as 0). */
export function maxDrawdown(returns: Returns): number {
  if (returns.length === 0) return Number.NaN;
  // empyrical starts the cumulative series at 100 and scales the running product by it.
  let product = 1;
  let peak = 100;
  let worst = 0;
  for (const r of returns) {
    product *= 1 + (Number.isNaN(r) ? 0 : r);
    const value = product * 100;
    if (value > peak) peak = value; // np.fmax ignores NaN
    const drawdown = (value - peak) / peak;
    if (drawdown < worst) worst = drawdown; // np.nanmin ignores NaN
  }
  return worst;
}

/** Compound annual growth rate: (Π(1 + r))^(factor / n) − 1; NaN when empty. */
export function annualReturn(returns: Returns, options?: AnnualizationOptions): number {
  if (returns.length === 0) return Number.NaN;
  const years = returns.length / annualizationFactor(options);
  return growth(returns) ** (1 / years) - 1;
}

/** Sample standard deviation (ddof = 1, NaNs skipped) × √factor; NaN below 2 values. */
export function annualVolatility(returns: Returns, options?: AnnualizationOptions): number {
  if (returns.length < 2) return Number.NaN;
  return nanStd(returns, 1) * annualizationFactor(options) ** (1 / 2);
}

/** mean(r − rf) / std(r − rf, ddof = 1) × √factor; NaN below 2 values. */
export function sharpeRatio(
  returns: Returns,
  riskFree: Benchmark = 0,
  options?: AnnualizationOptions,
): number {
  if (returns.length < 2) return Number.NaN;
  const adjusted = adjust(returns, riskFree);
  return (nanMean(adjusted) / nanStd(adjusted, 1)) * Math.sqrt(annualizationFactor(options));
}

/** √(mean(min(r − required, 0)²)) × √factor (ddof = 0, NaNs skipped); NaN when empty. */
export function downsideRisk(
  returns: Returns,
  requiredReturn: Benchmark = 0,
  options?: AnnualizationOptions,
): number {
  if (returns.length === 0) return Number.NaN;
  const squares = adjust(returns, requiredReturn).map((d) => (d < 0 ? d * d : Number.isNaN(d) ? d : 0));
  return Math.sqrt(nanMean(squares)) * Math.sqrt(annualizationFactor(options));
}

/** mean(r − required) × factor / downsideRisk; NaN below 2 values. */
export function sortinoRatio(
  returns: Returns,
  requiredReturn: Benchmark = 0,
  options?: AnnualizationOptions,
): number {
  if (returns.length < 2) return Number.NaN;
  const averageAnnual = nanMean(adjust(returns, requiredReturn)) * annualizationFactor(options);
  return averageAnnual / downsideRisk(returns, requiredReturn, options);
}

/** annualReturn / |maxDrawdown|; NaN without a drawdown or when the quotient is infinite. */
export function calmarRatio(returns: Returns, options?: AnnualizationOptions): number {
  const drawdown = maxDrawdown(returns);
  if (!(drawdown < 0)) return Number.NaN;
  const ratio = annualReturn(returns, options) / Math.abs(drawdown);
  return ratio === Number.POSITIVE_INFINITY || ratio === Number.NEGATIVE_INFINITY ? Number.NaN : ratio;
}

/** The `cutoff` quantile of the returns (linear interpolation); NaN when empty or with a NaN. */
export function valueAtRisk(returns: Returns, cutoff = 0.05): number {
  return percentile(returns, 100 * cutoff);
}

/** Mean of the ⌊(n − 1) × cutoff⌋ + 1 smallest returns (NaN sorts last); NaN when empty. */
export function conditionalValueAtRisk(returns: Returns, cutoff = 0.05): number {
  if (returns.length === 0) return Number.NaN;
  const k = Math.trunc((returns.length - 1) * cutoff);
  const sorted = Float64Array.from(returns).sort();
  return mean(sorted.subarray(0, k + 1));
}

/** |95th percentile| / |5th percentile| of the non-NaN returns; NaN when none. */
export function tailRatio(returns: Returns): number {
  const clean = returns.filter((r) => !Number.isNaN(r));
  if (clean.length === 0) return Number.NaN;
  return Math.abs(percentile(clean, 95)) / Math.abs(percentile(clean, 5));
}
