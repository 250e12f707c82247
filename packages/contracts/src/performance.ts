/**
 * Performance summary (docs/CONTRACT.md §5): the names analytics writes to `P:account:A:performance` and the
 * orchestrator serves over HTTP, overall and per strategy.
 */

export const PERFORMANCE_FIELDS = [
  'total_pnl',
  'realized_pnl',
  'total_return_pct',
  'sharpe_ratio',
  'sortino_ratio',
  'max_drawdown_pct',
  'calmar_ratio',
  'win_rate_pct',
  'profit_factor',
  'expectancy',
  'trades_count',
  'as_of',
] as const;

export type PerformanceField = (typeof PERFORMANCE_FIELDS)[number];

/** Money as exact decimal strings; ratios as numbers, `null` where undefined (NaN/±Infinity). */
export interface PerformanceSummary {
  readonly total_pnl: string;
  readonly realized_pnl: string;
  readonly total_return_pct: number | null;
  readonly sharpe_ratio: number | null;
  readonly sortino_ratio: number | null;
  readonly max_drawdown_pct: number | null;
  readonly calmar_ratio: number | null;
  readonly win_rate_pct: number | null;
  readonly profit_factor: number | null;
  readonly expectancy: string;
  readonly trades_count: number;
  /** ISO-8601 UTC time the figures were computed. */
  readonly as_of: string;
}

export interface PerformanceReport {
  readonly overall: PerformanceSummary;
  readonly strategies: Readonly<Record<string, PerformanceSummary>>;
  /** +1 per write, echoed in the `updated` message. */
  readonly version: number;
}

/** Fields carried as strings (exact money and the timestamp); the rest are numbers or null. */
export const PERFORMANCE_STRING_FIELDS: ReadonlySet<PerformanceField> = new Set([
  'total_pnl',
  'realized_pnl',
  'expectancy',
  'as_of',
]);

/**
 * Hash layout: overall figures under their plain names; per strategy under `strategy:<name>:<field>`
 * (a strategy name may contain ':', the field never does, so split at the last ':'). Non-finite
 * ratios are stored as `null`, so every value is readable by a JSON parser in any language.
 */
export function encodePerformance(report: PerformanceReport): Record<string, string> {
  const out: Record<string, string> = { version: String(report.version) };
  writeSummary(out, '', report.overall);
  for (const [name, summary] of Object.entries(report.strategies)) {
    writeSummary(out, `strategy:${name}:`, summary);
  }
  return out;
}

export function decodePerformance(hash: Record<string, string>): PerformanceReport | null {
  if (!('total_pnl' in hash)) return null;
  const overall = readSummary(hash, '');
  const strategies: Record<string, PerformanceSummary> = {};
  for (const key of Object.keys(hash)) {
    if (!key.startsWith('strategy:') || !key.endsWith(':total_pnl')) continue;
    const name = key.slice('strategy:'.length, key.length - ':total_pnl'.length);
    strategies[name] = readSummary(hash, `strategy:${name}:`);
  }
  return { overall, strategies, version: Number(hash.version ?? 0) };
}

function writeSummary(out: Record<string, string>, prefix: string, s: PerformanceSummary): void {
  for (const f of PERFORMANCE_FIELDS) {
    const v = s[f];
    out[prefix + f] =
      typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : v === null ? 'null' : v;
  }
}

function readSummary(hash: Record<string, string>, prefix: string): PerformanceSummary {
  const num = (f: PerformanceField): number | null => {
    const raw = hash[prefix + f];
    if (raw === undefined || raw === 'null' || raw === '') return null;
    const n = Number(raw);
    return Number.isFinite(n) ? n : null;
  };
  const str = (f: PerformanceField, fallback: string): string => hash[prefix + f] ?? fallback;
  return {
    total_pnl: str('total_pnl', '0'),
    realized_pnl: str('realized_pnl', '0'),
    total_return_pct: num('total_return_pct'),
    sharpe_ratio: num('sharpe_ratio'),
    sortino_ratio: num('sortino_ratio'),
    max_drawdown_pct: num('max_drawdown_pct'),
    calmar_ratio: num('calmar_ratio'),
    win_rate_pct: num('win_rate_pct'),
    profit_factor: num('profit_factor'),
    expectancy: str('expectancy', '0'),
    trades_count: num('trades_count') ?? 0,
    as_of: str('as_of', ''),
  };
}
