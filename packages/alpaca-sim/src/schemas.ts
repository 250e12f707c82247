import { type Decimal, SIGNED_DECIMAL_PATTERN, sign } from '@friren/contracts';
import { z } from 'zod';
import { dec } from './decimal.js';
import type { JsonValue, SimAccountSeed, SimCredentials, SimFault } from './types.js';

const decimalString = z.string().regex(SIGNED_DECIMAL_PATTERN, 'must be a decimal string like "123.45"');

/** Alpaca accepts quantities and prices as JSON strings or numbers; either way we keep them exact. */
const decimalInput = z.union([z.string(), z.number()]).transform((value, ctx): Decimal => {
  const text = typeof value === 'number' ? String(value) : value;
  if (!SIGNED_DECIMAL_PATTERN.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'must be a plain decimal number' });
    return z.NEVER;
  }
  return dec(text);
});

const positiveDecimal = (maxScale: number) =>
  decimalInput
    .refine((d) => sign(d) > 0, 'must be > 0')
    .refine((d) => d.scale <= maxScale, `at most ${maxScale} decimal places`);

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(jsonValue),
    z.record(z.string(), jsonValue),
  ]),
);

const symbol = z
  .string()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9./-]{1,21}$/, 'invalid symbol'));

export const positionSeedSchema = z.object({
  symbol,
  qty: decimalString.refine((s) => sign(dec(s)) !== 0, 'must not be zero'),
  avgEntryPrice: decimalString.refine((s) => sign(dec(s)) > 0, 'must be > 0'),
  currentPrice: decimalString.refine((s) => sign(dec(s)) > 0, 'must be > 0').optional(),
});

/** A key pair given to an existing account (`POST /_sim/accounts/:keyId/keys`). */
export const credentialsSchema: z.ZodType<SimCredentials> = z.object({
  keyId: z.string().min(1),
  secretKey: z.string().min(1),
});

export const accountSeedSchema: z.ZodType<SimAccountSeed> = z.object({
  keyId: z.string().min(1),
  secretKey: z.string().min(1),
  id: z.string().min(1).optional(),
  accountNumber: z.string().min(1).optional(),
  cash: decimalString.optional(),
  equity: decimalString.optional(),
  lastEquity: decimalString.optional(),
  multiplier: z.enum(['1', '2', '4']).optional(),
  status: z.string().min(1).optional(),
  shortingEnabled: z.boolean().optional(),
  createdAt: z.string().min(1).optional(),
  positions: z.array(positionSeedSchema).optional(),
  fields: z.record(z.string(), jsonValue).optional(),
});

const MONEY_FIELDS = [
  'buying_power',
  'regt_buying_power',
  'daytrading_buying_power',
  'effective_buying_power',
  'non_marginable_buying_power',
  'options_buying_power',
  'bod_dtbp',
  'accrued_fees',
  'portfolio_value',
  'equity',
  'long_market_value',
  'short_market_value',
  'position_market_value',
  'initial_margin',
  'maintenance_margin',
  'last_maintenance_margin',
  'sma',
  'intraday_adjustments',
  'pending_reg_taf_fees',
] as const;

const BOOLEAN_FIELDS = [
  'trading_blocked',
  'transfers_blocked',
  'account_blocked',
  'trade_suspended_by_user',
  'shorting_enabled',
  'pattern_day_trader',
] as const;

/**
 * Body of `setAccount`: Alpaca field names. `cash` and `last_equity` change the account's state;
 * any other field is emitted verbatim (null removes an earlier override).
 */
export const accountPatchSchema = z
  .object({
    cash: decimalString,
    last_equity: decimalString,
    multiplier: z.enum(['1', '2', '4']).nullable(),
    ...Object.fromEntries(MONEY_FIELDS.map((k) => [k, decimalString.nullable()])),
    ...Object.fromEntries(BOOLEAN_FIELDS.map((k) => [k, z.boolean().nullable()])),
  })
  .partial()
  .catchall(jsonValue);

export type AccountPatch = Record<string, JsonValue>;

const target = {
  endpoint: z
    .enum(['account', 'positions', 'activities', 'portfolio_history', 'orders', 'unknown', '*'])
    .optional(),
  keyId: z.string().min(1).optional(),
  count: z.number().int().positive().optional(),
};

export const faultSchema: z.ZodType<SimFault> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('latency'), ms: z.number().int().nonnegative(), ...target }),
  z.object({
    kind: z.literal('http_error'),
    status: z.number().int().min(500).max(599).optional(),
    body: jsonValue.optional(),
    ...target,
  }),
  z.object({ kind: z.literal('hang'), ...target }),
  z.object({ kind: z.literal('malformed_json'), ...target }),
  z.object({ kind: z.literal('unauthorized'), ...target }),
  z.object({
    kind: z.literal('rate_limited'),
    retryAfterSec: z.number().int().positive().optional(),
    ...target,
  }),
]);

export const pricesBodySchema = z
  .object({
    pct: decimalInput.optional(),
    symbols: z.array(symbol).optional(),
    prices: z.record(z.string(), positiveDecimal(9)).optional(),
  })
  .refine((b) => b.pct !== undefined || b.prices !== undefined, 'give pct or prices');

export const orderRequestSchema = z
  .object({
    symbol,
    qty: positiveDecimal(9).optional(),
    notional: positiveDecimal(2).optional(),
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit']),
    time_in_force: z.enum(['day', 'gtc', 'opg', 'cls', 'ioc', 'fok']),
    limit_price: positiveDecimal(9).optional(),
    client_order_id: z.string().min(1).max(128).optional(),
    extended_hours: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.qty === undefined) === (o.notional === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['qty'], message: 'give exactly one of qty or notional' });
    }
    if (o.type === 'limit' && o.limit_price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['limit_price'], message: 'required for limit orders' });
    }
    if (o.notional !== undefined && (o.type !== 'market' || o.time_in_force !== 'day')) {
      ctx.addIssue({ code: 'custom', path: ['notional'], message: 'notional orders must be market/day' });
    }
  });

export type OrderRequest = z.infer<typeof orderRequestSchema>;

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time or date');

export const activitiesQuerySchema = z.object({
  page_size: z.coerce.number().int().min(1).max(100).default(100),
  page_token: z.string().min(1).optional(),
  direction: z.enum(['asc', 'desc']).default('desc'),
  after: isoTime.optional(),
  until: isoTime.optional(),
  date: isoTime.optional(),
  activity_types: z.string().optional(),
});

export const historyQuerySchema = z.object({
  period: z
    .string()
    .regex(/^[1-9]\d{0,3}[DWMA]$/, 'period must look like 1D, 2W, 1M, 1A')
    .default('1M'),
  timeframe: z.enum(['1Min', '5Min', '15Min', '1H', '1D']).default('1D'),
});

/** First zod issue as one line, the way Alpaca phrases a 422 (`field: reason`). */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid request';
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}
