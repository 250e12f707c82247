import { z } from 'zod';
import { SIGNED_DECIMAL_PATTERN } from './decimal.js';

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

/**
 * The account as the broker reports it, apart from the ledger's figures: returns over its daily
 * equity history (without the base day; today from the live snapshot), with where they come from.
 */
export interface BrokerSummary {
  /** `simulator` in the demo: the figures then describe the simulated broker's account. */
  readonly source: 'alpaca' | 'simulator' | 'unknown';
  /** First and last day of the daily returns (New York dates), null with none. */
  readonly from: string | null;
  readonly to: string | null;
  readonly days: number;
  /** Today's return is the live snapshot's equity / last_equity − 1. */
  readonly live_today: boolean;
  readonly equity: string | null;
  readonly total_return_pct: number | null;
  readonly sharpe_ratio: number | null;
  readonly sortino_ratio: number | null;
  readonly max_drawdown_pct: number | null;
  readonly calmar_ratio: number | null;
}

export const BROKER_FIELDS = [
  'source',
  'from',
  'to',
  'days',
  'live_today',
  'equity',
  'total_return_pct',
  'sharpe_ratio',
  'sortino_ratio',
  'max_drawdown_pct',
  'calmar_ratio',
] as const satisfies readonly (keyof BrokerSummary)[];

/** One group of the account's closing fills (by symbol, sentiment bucket or confidence quintile). */
export interface BreakdownLine {
  readonly closing_trades: number;
  readonly realized_pnl: string;
  readonly unrealized_pnl: string | null;
  readonly win_rate_pct: number | null;
  readonly profit_factor: number | null;
}

/** Breakdowns and risk of the account (hash field `breakdowns`, one JSON value). */
export interface PerformanceBreakdowns {
  readonly by_symbol: Readonly<Record<string, BreakdownLine>>;
  readonly by_sentiment: Readonly<Record<string, BreakdownLine>>;
  readonly by_confidence: Readonly<Record<string, BreakdownLine>>;
  readonly risk: {
    readonly var_95: number | null;
    readonly cvar_95: number | null;
    readonly gross_exposure: string;
    readonly net_exposure: string;
    readonly gross_exposure_pct: number | null;
    readonly net_exposure_pct: number | null;
    readonly largest_position: string | null;
    readonly largest_position_pct: number | null;
    readonly equity: string | null;
  };
}

/** What a held symbol is valued at: the broker's position price, or our last fill where it gave none. */
export interface MarkLine {
  readonly price: string;
  readonly source: 'broker' | 'last-fill';
  /** New York day of the mark. */
  readonly date: string;
}

/** Days a held symbol was valued at its last fill because the broker's price was missing or bad. */
export interface MarkNoteLine {
  readonly symbol: string;
  readonly reason: 'no broker mark' | 'bad broker mark';
  readonly days: number;
  readonly first: string;
  readonly last: string;
}

export interface PerformanceReport {
  /** Trading by strategy (ledger), all strategies together. */
  readonly overall: PerformanceSummary;
  /** Trading by strategy (ledger), each on its own lots. */
  readonly strategies: Readonly<Record<string, PerformanceSummary>>;
  /** Account (broker); absent from hashes written before it existed, null without broker data. */
  readonly broker?: BrokerSummary | null;
  /** By symbol, sentiment and confidence; VaR / CVaR, exposures. Absent from older hashes. */
  readonly breakdowns?: PerformanceBreakdowns | null;
  /** Marks of the symbols held at the end of the last day (hash field `marks`, JSON); absent from older hashes. */
  readonly marks?: Readonly<Record<string, MarkLine>> | null;
  /** Where a held symbol went without a usable broker price (hash field `mark_notes`, JSON). */
  readonly mark_notes?: readonly MarkNoteLine[] | null;
  /** +1 per write, echoed in the `updated` message. */
  readonly version: number;
}

/**
 * What each field holds, which decides the rule its hash value must pass. A new field gets a kind
 * here and is checked like the others of its kind.
 */
export type PerformanceFieldKind = 'money' | 'ratio' | 'count' | 'timestamp';

export const PERFORMANCE_FIELD_KINDS: Readonly<Record<PerformanceField, PerformanceFieldKind>> = {
  total_pnl: 'money',
  realized_pnl: 'money',
  total_return_pct: 'ratio',
  sharpe_ratio: 'ratio',
  sortino_ratio: 'ratio',
  max_drawdown_pct: 'ratio',
  calmar_ratio: 'ratio',
  win_rate_pct: 'ratio',
  profit_factor: 'ratio',
  expectancy: 'money',
  trades_count: 'count',
  as_of: 'timestamp',
};

/** Fields carried as strings (exact money and the timestamp); the rest are numbers or null. */
export const PERFORMANCE_STRING_FIELDS: ReadonlySet<PerformanceField> = new Set(
  PERFORMANCE_FIELDS.filter((f) => {
    const kind = PERFORMANCE_FIELD_KINDS[f];
    return kind === 'money' || kind === 'timestamp';
  }),
);

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
/** What `String(n)` gives for a finite number, exponent included; `null` for a non-finite ratio. */
const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:e[+-]\d+)?$/;

/** The hash value rules per kind; money follows the snapshot's decimal rule. */
const KIND_SCHEMAS: Readonly<Record<PerformanceFieldKind, z.ZodType<string>>> = {
  money: z.string().regex(SIGNED_DECIMAL_PATTERN, { message: 'must be a decimal string' }),
  ratio: z.string().refine((v) => v === 'null' || (NUMBER_TEXT.test(v) && Number.isFinite(Number(v))), {
    message: 'must be a finite number or null',
  }),
  count: z.string().regex(/^\d{1,15}$/, { message: 'must be a non-negative integer' }),
  timestamp: z.string().refine((v) => v === '' || (ISO_TIMESTAMP.test(v) && Number.isFinite(Date.parse(v))), {
    message: 'must be an ISO-8601 timestamp',
  }),
};

export type PerformanceDecodeResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'ok'; readonly report: PerformanceReport }
  | {
      readonly kind: 'invalid';
      /** Hash fields that broke their kind's rule, e.g. `total_pnl`, `strategy:momo:expectancy`. */
      readonly fields: readonly string[];
      /** `total_pnl: must be a decimal string; ...` */
      readonly reason: string;
    };

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
  if (report.breakdowns !== undefined && report.breakdowns !== null) {
    out['breakdowns'] = JSON.stringify(report.breakdowns);
  }
  if (report.marks !== undefined && report.marks !== null) out['marks'] = JSON.stringify(report.marks);
  if (report.mark_notes !== undefined && report.mark_notes !== null) {
    out['mark_notes'] = JSON.stringify(report.mark_notes);
  }
  const broker = report.broker;
  if (broker !== undefined && broker !== null) {
    for (const f of BROKER_FIELDS) {
      const v = broker[f];
      out[`broker:${f}`] =
        typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'null') : v === null ? 'null' : String(v);
    }
  }
  return out;
}

/**
 * `HGETALL` result → report. Every known field present, overall and per strategy, must pass its
 * kind's rule; one that does not makes the whole report invalid (its figures are computed together),
 * with every offending field named. Unknown fields are ignored, so older readers survive newer writers.
 */
export function parsePerformance(hash: Record<string, string>): PerformanceDecodeResult {
  if (!('total_pnl' in hash)) return { kind: 'absent' };
  const prefixes = [''];
  const names: string[] = [];
  for (const key of Object.keys(hash)) {
    if (!key.startsWith('strategy:') || !key.endsWith(':total_pnl')) continue;
    const name = key.slice('strategy:'.length, key.length - ':total_pnl'.length);
    names.push(name);
    prefixes.push(`strategy:${name}:`);
  }
  const issues: string[] = [];
  const fields: string[] = [];
  const check = (field: string, schema: z.ZodType<string>) => {
    const raw = hash[field];
    if (raw === undefined) return;
    const r = schema.safeParse(raw);
    if (!r.success) {
      fields.push(field);
      issues.push(`${field}: ${r.error.issues[0]?.message ?? 'invalid'}`);
    }
  };
  check('version', KIND_SCHEMAS.count);
  for (const prefix of prefixes) {
    for (const f of PERFORMANCE_FIELDS) check(prefix + f, KIND_SCHEMAS[PERFORMANCE_FIELD_KINDS[f]]);
  }
  if (fields.length > 0) return { kind: 'invalid', fields, reason: issues.join('; ') };
  const strategies: Record<string, PerformanceSummary> = {};
  for (const name of names) strategies[name] = readSummary(hash, `strategy:${name}:`);
  return {
    kind: 'ok',
    report: {
      overall: readSummary(hash, ''),
      strategies,
      broker: readBroker(hash),
      breakdowns: readBreakdowns(hash['breakdowns']),
      marks: readJson(hash['marks'], marksSchema),
      mark_notes: readJson(hash['mark_notes'], markNotesSchema),
      version: Number(hash.version ?? 0),
    },
  };
}

/** The report, or null when the hash is absent or breaks a rule (see `parsePerformance` for why). */
export function decodePerformance(hash: Record<string, string>): PerformanceReport | null {
  const r = parsePerformance(hash);
  return r.kind === 'ok' ? r.report : null;
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

function readBroker(hash: Record<string, string>): BrokerSummary | null {
  const source = hash['broker:source'];
  if (source === undefined) return null;
  const text = (f: (typeof BROKER_FIELDS)[number]): string | null => {
    const raw = hash[`broker:${f}`];
    return raw === undefined || raw === 'null' ? null : raw;
  };
  const num = (f: (typeof BROKER_FIELDS)[number]): number | null => {
    const raw = text(f);
    const n = raw === null || raw === '' ? Number.NaN : Number(raw);
    return Number.isFinite(n) ? n : null;
  };
  return {
    source: source === 'alpaca' || source === 'simulator' ? source : 'unknown',
    from: text('from'),
    to: text('to'),
    days: num('days') ?? 0,
    live_today: text('live_today') === 'true',
    equity: text('equity'),
    total_return_pct: num('total_return_pct'),
    sharpe_ratio: num('sharpe_ratio'),
    sortino_ratio: num('sortino_ratio'),
    max_drawdown_pct: num('max_drawdown_pct'),
    calmar_ratio: num('calmar_ratio'),
  };
}

/** The `breakdowns` JSON, or null when absent or not an object (display data: never fatal). */
function readBreakdowns(raw: string | undefined): PerformanceBreakdowns | null {
  if (raw === undefined) return null;
  try {
    const value = JSON.parse(raw) as unknown;
    return typeof value === 'object' && value !== null && 'risk' in value
      ? (value as PerformanceBreakdowns)
      : null;
  } catch {
    return null;
  }
}

const marksSchema = z.record(
  z.string(),
  z.looseObject({
    price: z.string().regex(SIGNED_DECIMAL_PATTERN),
    source: z.enum(['broker', 'last-fill']),
    date: z.string(),
  }),
);

const markNotesSchema = z.array(
  z.looseObject({
    symbol: z.string(),
    reason: z.enum(['no broker mark', 'bad broker mark']),
    days: z.number().int().nonnegative(),
    first: z.string(),
    last: z.string(),
  }),
);

/** A JSON display field, or null when absent or not of its shape (display data: never fatal). */
function readJson<T>(raw: string | undefined, schema: z.ZodType<T>): T | null {
  if (raw === undefined) return null;
  try {
    const r = schema.safeParse(JSON.parse(raw));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
