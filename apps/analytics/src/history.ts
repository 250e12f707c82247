import { SIGNED_DECIMAL_PATTERN } from '@friren/contracts';
import { z } from 'zod';
import { toLedgerDecimal } from './decimal-number.js';

/** One day of the broker's portfolio history, as analytics keeps it. */
export interface HistoryDay {
  /** `YYYY-MM-DD`: the UTC date of the broker's daily timestamp. */
  readonly date: string;
  readonly equity: string;
  readonly profit_loss: string;
  /** The day's return as a fraction, as the broker sends it. */
  readonly profit_loss_pct: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Money as the broker's JSON number or already a decimal string; canonical either way. */
const money = z.union([
  z.number().refine(Number.isFinite).transform(toLedgerDecimal),
  z.string().regex(SIGNED_DECIMAL_PATTERN).transform(toLedgerDecimal),
]);
const nullableMoney = money.nullable();
const ratio = z.union([z.number(), z.string().regex(SIGNED_DECIMAL_PATTERN).transform(Number)]);

/** Alpaca's `/v2/account/portfolio/history` body: parallel arrays, `null` on days without data. */
const alpacaShape = z.looseObject({
  timestamp: z.array(z.number().int()),
  equity: z.array(nullableMoney),
  profit_loss: z.array(nullableMoney),
  profit_loss_pct: z.array(ratio.nullable()),
  timeframe: z.string().optional(),
});

/** An already normalized day (what a poller might store instead). */
const dayShape = z.looseObject({
  date: z.string().regex(DATE).optional(),
  timestamp: z.number().int().optional(),
  equity: nullableMoney,
  profit_loss: nullableMoney.optional(),
  profit_loss_pct: ratio.nullable(),
});

const wrapped = z.looseObject({
  history: z.unknown().optional(),
  points: z.unknown().optional(),
  days: z.unknown().optional(),
});

/**
 * Parses `P:account:A:history`: the raw Alpaca body, an array of days, or either wrapped in an
 * object under `history`, `points` or `days`. Days whose equity or return is missing are skipped; a
 * date seen twice keeps the last. Throws a ZodError (or RangeError) on anything else, including a
 * history that is not daily.
 */
export function parseHistory(json: string): HistoryDay[] {
  return normalize(JSON.parse(json) as unknown, 0);
}

function normalize(value: unknown, depth: number): HistoryDay[] {
  if (Array.isArray(value)) return byDate(z.array(dayShape).parse(value).flatMap(fromDay));
  const alpaca = alpacaShape.safeParse(value);
  if (alpaca.success) return byDate(fromAlpaca(alpaca.data));
  const wrapper = wrapped.safeParse(value);
  const inner = wrapper.success
    ? (wrapper.data.history ?? wrapper.data.points ?? wrapper.data.days)
    : undefined;
  if (inner !== undefined && depth < 2) return normalize(inner, depth + 1);
  // Report the Alpaca shape's problems: the form the broker actually sends.
  throw alpaca.error;
}

function fromAlpaca(h: z.infer<typeof alpacaShape>): HistoryDay[] {
  if (h.timeframe !== undefined && h.timeframe !== '1D') {
    throw new RangeError(`portfolio history timeframe is ${h.timeframe}, not 1D`);
  }
  const n = h.timestamp.length;
  if (h.equity.length !== n || h.profit_loss.length !== n || h.profit_loss_pct.length !== n) {
    throw new RangeError('portfolio history series have different lengths');
  }
  const out: HistoryDay[] = [];
  for (let i = 0; i < n; i++) {
    const equity = h.equity[i];
    const pct = h.profit_loss_pct[i];
    if (equity == null || pct == null || !Number.isFinite(pct)) continue;
    out.push({
      date: utcDate(h.timestamp[i] as number),
      equity,
      profit_loss: h.profit_loss[i] ?? '0',
      profit_loss_pct: pct,
    });
  }
  return out;
}

function fromDay(d: z.infer<typeof dayShape>): HistoryDay[] {
  const date = d.date ?? (d.timestamp === undefined ? undefined : utcDate(d.timestamp));
  if (date === undefined) throw new RangeError('a history day has neither date nor timestamp');
  if (d.equity === null || d.profit_loss_pct === null || !Number.isFinite(d.profit_loss_pct)) return [];
  return [{ date, equity: d.equity, profit_loss: d.profit_loss ?? '0', profit_loss_pct: d.profit_loss_pct }];
}

/** Epoch seconds → UTC date (Alpaca's daily points are midnight New York, the same date in UTC). */
function utcDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

function byDate(days: HistoryDay[]): HistoryDay[] {
  const map = new Map<string, HistoryDay>();
  for (const d of days) map.set(d.date, d);
  return [...map.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
