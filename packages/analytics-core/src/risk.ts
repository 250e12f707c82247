import { formatMoney, MONEY_SCALE, parseFixed, QUANTITY_SCALE, toFloat } from './fixed.js';
import { conditionalValueAtRisk, valueAtRisk } from './returns.js';

export interface RiskPosition {
  readonly symbol: string;
  /** Signed quantity, decimal string (negative: short). */
  readonly quantity: string;
  /** Current price, decimal string. */
  readonly price: string;
}

export interface RiskInput {
  readonly positions: readonly RiskPosition[];
  /** Account equity, decimal string. */
  readonly equity: string;
  /** Daily simple returns for the historical VaR / CVaR. */
  readonly returns: readonly number[];
  /** Tail probability; default 0.05 (95 %). */
  readonly cutoff?: number;
}

export interface RiskFigures {
  /** Σ |quantity × price|. */
  readonly gross_exposure: string;
  /** Σ quantity × price (shorts negative). */
  readonly net_exposure: string;
  readonly long_exposure: string;
  readonly short_exposure: string;
  /** Exposures as a percentage of equity (NaN / ±Infinity when equity is 0). */
  readonly gross_exposure_pct: number;
  readonly net_exposure_pct: number;
  /** The symbol with the largest |exposure|, `null` with no positions. */
  readonly largest_position: { readonly symbol: string; readonly exposure: string } | null;
  /** |largest exposure| / equity × 100. */
  readonly largest_position_pct: number;
  /** Signed exposure per symbol. */
  readonly exposure_by_symbol: Readonly<Record<string, string>>;
  /** Historical VaR of the daily returns at the cutoff (a return, negative for a loss). */
  readonly var_95: number;
  /** Historical CVaR (expected shortfall) at the cutoff. */
  readonly cvar_95: number;
}

/** Exposure and tail-risk figures; money exact, ratios float. */
export function riskFigures(input: RiskInput): RiskFigures {
  const cutoff = input.cutoff ?? 0.05;
  // Equity only divides (ratios), so a float is enough and any broker precision is accepted.
  const equity = Number(input.equity);
  const bySymbol = new Map<string, bigint>();
  for (const p of input.positions) {
    const exposure = parseFixed(p.quantity, QUANTITY_SCALE) * parseFixed(p.price, QUANTITY_SCALE);
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0n) + exposure);
  }
  let long = 0n;
  let short = 0n;
  let largest: { symbol: string; exposure: bigint } | null = null;
  for (const [symbol, exposure] of bySymbol) {
    if (exposure > 0n) long += exposure;
    else short += exposure;
    const size = exposure < 0n ? -exposure : exposure;
    if (largest === null || size > abs(largest.exposure)) largest = { symbol, exposure };
  }
  const pct = (x: bigint): number => (toFloat(x, MONEY_SCALE) / equity) * 100;
  return {
    gross_exposure: formatMoney(long - short),
    net_exposure: formatMoney(long + short),
    long_exposure: formatMoney(long),
    short_exposure: formatMoney(short),
    gross_exposure_pct: pct(long - short),
    net_exposure_pct: pct(long + short),
    largest_position:
      largest === null ? null : { symbol: largest.symbol, exposure: formatMoney(largest.exposure) },
    largest_position_pct: largest === null ? 0 : pct(abs(largest.exposure)),
    exposure_by_symbol: Object.fromEntries([...bySymbol].map(([s, e]) => [s, formatMoney(e)])),
    var_95: valueAtRisk(input.returns, cutoff),
    cvar_95: conditionalValueAtRisk(input.returns, cutoff),
  };
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}
