import { z } from 'zod';
import { accountAliasSchema } from './account.js';
import { formatDecimal, parseDecimal, pow10, trimDecimal } from './decimal.js';
import { isPlainObject, metadataProblem } from './metadata.js';
import { DEFAULT_MAX_FUTURE_SKEW_MS, futureTimestampProblem, normalizeTimestamp } from './timestamp.js';
import { MAX_DECIMALS, MAX_INTEGER_DIGITS, SYMBOL_PATTERN, TRADE_ID_PATTERN } from './trade-fields.js';
import { fastTradeJob } from './trade-job-fast.js';
import { type FieldIssue, formatIssues, type ParseResult, safeParseWith } from './validation.js';

/**
 * The trade job (docs/CONTRACT.md §3): one BullMQ job per executed fill. Producers may send decimals as
 * strings or numbers; the parsed job carries canonical decimal strings and a UTC timestamp, so
 * every consumer sees one form.
 */

export { MAX_DECIMALS, MAX_INTEGER_DIGITS, SYMBOL_PATTERN, TRADE_ID_PATTERN } from './trade-fields.js';

function decimal(opts: { allowZero: boolean }) {
  return z.unknown().transform((value, ctx): string => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a decimal string or number',
        params: { rule: 'type' },
      });
      return z.NEVER;
    }
    if (typeof value === 'string' && value.startsWith('-')) {
      ctx.addIssue({ code: 'custom', message: rangeMessage(opts), params: { rule: 'range' } });
      return z.NEVER;
    }
    const parsed = parseDecimal(value);
    if (parsed === null || parsed.units < 0n || Object.is(value, -0)) {
      const message =
        typeof value === 'number' && !Number.isFinite(value)
          ? 'must be finite'
          : 'must be a plain decimal like 12.5 (no sign or exponent)';
      if (typeof value === 'number' && value < 0) {
        ctx.addIssue({ code: 'custom', message: rangeMessage(opts), params: { rule: 'range' } });
      } else {
        ctx.addIssue({ code: 'custom', message, params: { rule: 'format' } });
      }
      return z.NEVER;
    }
    const d = trimDecimal(parsed);
    if (d.scale > MAX_DECIMALS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_DECIMALS} decimal places`,
        params: { rule: 'scale' },
      });
      return z.NEVER;
    }
    if (d.units >= pow10(MAX_INTEGER_DIGITS + d.scale)) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_INTEGER_DIGITS} integer digits`,
        params: { rule: 'range' },
      });
      return z.NEVER;
    }
    if (!opts.allowZero && d.units === 0n) {
      ctx.addIssue({ code: 'custom', message: rangeMessage(opts), params: { rule: 'range' } });
      return z.NEVER;
    }
    return formatDecimal(d);
  });
}

function rangeMessage(opts: { allowZero: boolean }): string {
  return opts.allowZero ? 'must be >= 0' : 'must be > 0';
}

const timestampSchema = z.unknown().transform((value, ctx): string => {
  if (typeof value !== 'string') {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO-8601 string', params: { rule: 'type' } });
    return z.NEVER;
  }
  const r = normalizeTimestamp(value);
  if (r.ok) return r.iso;
  const messages = {
    format: 'must be ISO-8601 with an offset or Z, e.g. 2026-11-25T14:30:00.123456Z',
    'invalid-date': 'is not a real date/time',
    precision: 'at most microsecond precision',
    range: 'must be between 1970 and 9999',
    offset: 'offset must be within ±14:00',
  } as const;
  ctx.addIssue({ code: 'custom', message: messages[r.rule], params: { rule: r.rule } });
  return z.NEVER;
});

/** Optional producer fields may be omitted or null (Python's None); both mean "absent". */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((v) => (v === null ? undefined : v));
}

function boundedNumber(min: number, max: number) {
  return z
    .number({ message: 'must be a number' })
    .refine(Number.isFinite, { message: 'must be finite' })
    .refine((n) => n >= min && n <= max, { message: `must be in [${min}, ${max}]` });
}

const metadataSchema = z.unknown().transform((value, ctx): Record<string, unknown> => {
  if (!isPlainObject(value)) {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON object', params: { rule: 'type' } });
    return z.NEVER;
  }
  const problem = metadataProblem(value);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem.message, params: { rule: problem.rule } });
    return z.NEVER;
  }
  return value;
});

export const tradeJobSchema = z.strictObject({
  trade_id: z.string({ message: 'must be a string' }).regex(TRADE_ID_PATTERN, {
    message: 'must be 1-64 of [A-Za-z0-9_.:-]',
  }),
  account: accountAliasSchema,
  symbol: z.string({ message: 'must be a string' }).regex(SYMBOL_PATTERN, {
    message: 'must be 1-21 of [A-Z0-9./-]',
  }),
  side: z.enum(['buy', 'sell'], { message: 'must be "buy" or "sell"' }),
  quantity: decimal({ allowZero: false }),
  price: decimal({ allowZero: false }),
  timestamp: timestampSchema,
  strategy_used: z
    .string({ message: 'must be a string' })
    .refine((s) => codePoints(s) >= 1 && codePoints(s) <= 64, { message: 'must be 1-64 characters' }),
  finbert_sentiment: optional(boundedNumber(-1, 1)),
  confidence_score: optional(boundedNumber(0, 1)),
  fees: optional(decimal({ allowZero: true })).transform((v) => v ?? '0'),
  order_id: optional(
    z
      .string({ message: 'must be a string' })
      .refine((s) => codePoints(s) >= 1 && codePoints(s) <= 128, { message: 'must be 1-128 characters' }),
  ),
  metadata: optional(metadataSchema),
});

/** What a producer may send (decimals as string or number). */
export type TradeJobInput = z.input<typeof tradeJobSchema>;
/** A validated trade: canonical decimal strings, UTC timestamp with microseconds, fees defaulted. */
export type TradeJob = z.output<typeof tradeJobSchema>;

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

export interface ParseTradeOptions {
  /** Aliases this deployment serves; an account outside it is rejected. Omit to accept any valid alias. */
  readonly accounts?: ReadonlySet<string> | readonly string[];
  /** How far ahead of `now` the execution time may be (default DEFAULT_MAX_FUTURE_SKEW_MS). */
  readonly maxFutureSkewMs?: number;
  /** The clock the future check uses (epoch ms; default `Date.now()`). */
  readonly now?: number;
}

/** Parses a raw job payload: a validated trade, or every broken rule with the field it concerns. */
export function parseTradeJob(raw: unknown, opts: ParseTradeOptions = {}): ParseResult<TradeJob> {
  if (!isPlainObject(raw)) {
    const issues = [{ field: '(payload)', message: 'must be a JSON object' }];
    return { ok: false, issues, reason: formatIssues(issues) };
  }
  // Well-formed canonical jobs (nearly all of them) skip zod; anything else gets its full report.
  const fast = fastTradeJob(raw);
  const r: ParseResult<TradeJob> = fast ? { ok: true, value: fast } : safeParseWith(tradeJobSchema, raw);
  if (!r.ok) return r;
  // Checked here, after either path, so the fast path and zod cannot disagree on it: the rule
  // depends on the clock, not on the payload alone.
  const future = futureTimestampProblem(
    canonicalEpochMs(r.value.timestamp),
    opts.now ?? Date.now(),
    opts.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
  );
  const unknownAccount = opts.accounts !== undefined && !accountSet(opts.accounts).has(r.value.account);
  if (future === undefined && !unknownAccount) return r;
  const issues: FieldIssue[] = [];
  if (future !== undefined) issues.push({ field: 'timestamp', message: future });
  if (unknownAccount) issues.push({ field: 'account', message: 'is not a configured account' });
  return { ok: false, issues, reason: formatIssues(issues) };
}

function accountSet(accounts: ReadonlySet<string> | readonly string[]): ReadonlySet<string> {
  return accounts instanceof Set ? accounts : new Set(accounts);
}

/** Epoch ms of a canonical `YYYY-MM-DDTHH:MM:SS.ffffffZ` (the microseconds below a ms dropped). */
function canonicalEpochMs(iso: string): number {
  return Date.parse(`${iso.slice(0, 23)}Z`);
}
