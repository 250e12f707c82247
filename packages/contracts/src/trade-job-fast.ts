import { ACCOUNT_ALIAS_PATTERN } from './account.js';
import { isPlainObject, metadataProblem } from './metadata.js';
import { daysInMonth } from './timestamp.js';
import { MAX_DECIMALS, MAX_INTEGER_DIGITS, SYMBOL_PATTERN, TRADE_ID_PATTERN } from './trade-fields.js';
import type { TradeJob } from './trade-job.js';

/**
 * The recorder validates every job it takes, and zod costs it more CPU and garbage than anything
 * else it does per job. Nearly every producer already sends the canonical form (our client and the
 * documented Python payload do), and for that form the parsed job equals the input. This accepts
 * exactly such jobs and builds what `tradeJobSchema` would return, key for key; anything else —
 * numbers for decimals, other offsets, unknown or invalid fields — returns undefined and goes
 * through zod, which also writes the rejection reasons. `trade-job-fast.test.ts` checks the two
 * agree on generated inputs.
 */

/** Canonical unsigned decimal: no leading or trailing zeros, ≤ MAX_INTEGER_DIGITS and ≤ MAX_DECIMALS. */
const CANONICAL_DECIMAL = new RegExp(
  `^(?:0|[1-9]\\d{0,${MAX_INTEGER_DIGITS - 1}})(?:\\.\\d{0,${MAX_DECIMALS - 1}}[1-9])?$`,
);
/** Canonical timestamp: UTC with exactly six fraction digits. */
const CANONICAL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

const FIELDS = new Set([
  'trade_id',
  'account',
  'symbol',
  'side',
  'quantity',
  'price',
  'timestamp',
  'strategy_used',
  'finbert_sentiment',
  'confidence_score',
  'fees',
  'order_id',
  'metadata',
]);

type Out = { -readonly [K in keyof TradeJob]: TradeJob[K] };

export function fastTradeJob(raw: unknown): TradeJob | undefined {
  if (!isPlainObject(raw)) return undefined;
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) return undefined;
  const { trade_id, account, symbol, side, quantity, price, timestamp, strategy_used } = raw;
  if (typeof trade_id !== 'string' || !TRADE_ID_PATTERN.test(trade_id)) return undefined;
  if (typeof account !== 'string' || !ACCOUNT_ALIAS_PATTERN.test(account)) return undefined;
  if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol)) return undefined;
  if (side !== 'buy' && side !== 'sell') return undefined;
  if (!isPositiveCanonical(quantity) || !isPositiveCanonical(price)) return undefined;
  if (typeof timestamp !== 'string' || !isCanonicalTimestamp(timestamp)) return undefined;
  // Length in UTF-16 units bounds the length in code points from above, and from below when ≥ 1.
  if (typeof strategy_used !== 'string' || strategy_used.length < 1 || strategy_used.length > 64)
    return undefined;

  // Key order and presence as zod builds them: shape order; an optional key given as null or
  // undefined is present with value undefined; fees always present.
  const out = { trade_id, account, symbol, side, quantity, price, timestamp, strategy_used } as Out;
  if ('finbert_sentiment' in raw) {
    const v = raw['finbert_sentiment'];
    if (v != null && !inRange(v, -1, 1)) return undefined;
    out.finbert_sentiment = v ?? undefined;
  }
  if ('confidence_score' in raw) {
    const v = raw['confidence_score'];
    if (v != null && !inRange(v, 0, 1)) return undefined;
    out.confidence_score = v ?? undefined;
  }
  const fees = raw['fees'];
  if (fees != null && !(typeof fees === 'string' && CANONICAL_DECIMAL.test(fees))) return undefined;
  out.fees = fees ?? '0';
  if ('order_id' in raw) {
    const v = raw['order_id'];
    if (v != null && !(typeof v === 'string' && v.length >= 1 && v.length <= 128)) return undefined;
    out.order_id = v ?? undefined;
  }
  if ('metadata' in raw) {
    const v = raw['metadata'];
    if (v != null && !(isPlainObject(v) && metadataProblem(v) === null)) return undefined;
    out.metadata = v ?? undefined;
  }
  return out;
}

function isPositiveCanonical(v: unknown): v is string {
  return typeof v === 'string' && v !== '0' && CANONICAL_DECIMAL.test(v);
}

function inRange(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && v >= min && v <= max;
}

function isCanonicalTimestamp(s: string): boolean {
  const m = CANONICAL_TIMESTAMP.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1970 || month < 1 || month > 12 || day < 1) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  return day <= daysInMonth(year, month);
}
