import { z } from 'zod';
import { SIGNED_DECIMAL_PATTERN } from './decimal.js';

/**
 * The account snapshot (docs/CONTRACT.md §2) and its Redis hash codec. Money stays the broker's decimal
 * string byte-for-byte; optional broker fields are absent from the hash, never "undefined".
 */

export const SNAPSHOT_MONEY_FIELDS = [
  'portfolio_value',
  'equity',
  'last_equity',
  'cash',
  'buying_power',
  'regt_buying_power',
  'non_marginable_buying_power',
  'daytrading_buying_power',
  'long_market_value',
  'short_market_value',
  'initial_margin',
  'maintenance_margin',
  'multiplier',
] as const;

export const SNAPSHOT_FLAG_FIELDS = [
  'trading_blocked',
  'account_blocked',
  'transfers_blocked',
  'pattern_day_trader',
] as const;

export type SnapshotMoneyField = (typeof SNAPSHOT_MONEY_FIELDS)[number];
export type SnapshotFlagField = (typeof SNAPSHOT_FLAG_FIELDS)[number];
export type SnapshotSource = 'alpaca' | 'simulator';

export type AccountSnapshot = {
  /** Our alias for the account. */
  readonly account: string;
  readonly broker_account_id: string;
  readonly status: string;
  readonly currency?: string;
  readonly daytrade_count?: number;
  /** Epoch ms when the broker answered. */
  readonly fetched_at: number;
  /** +1 per write of the live hash. */
  readonly version: number;
  readonly source: SnapshotSource;
} & { readonly [K in SnapshotMoneyField]?: string } & { readonly [K in SnapshotFlagField]?: boolean };

export type SnapshotHash = Record<string, string>;

const money = z.string().regex(SIGNED_DECIMAL_PATTERN, { message: 'must be a decimal string' });
const flag = z
  .enum(['true', 'false'], { message: 'must be "true" or "false"' })
  .transform((v) => v === 'true');
const nonNegativeInt = z
  .string()
  .regex(/^\d{1,15}$/, { message: 'must be a non-negative integer' })
  .transform(Number);

const moneyShape = Object.fromEntries(SNAPSHOT_MONEY_FIELDS.map((f) => [f, money.optional()])) as {
  [K in SnapshotMoneyField]: z.ZodOptional<typeof money>;
};
const flagShape = Object.fromEntries(SNAPSHOT_FLAG_FIELDS.map((f) => [f, flag.optional()])) as {
  [K in SnapshotFlagField]: z.ZodOptional<typeof flag>;
};

/** Hash → snapshot. Unknown hash fields are ignored so older readers survive newer writers. */
export const snapshotHashSchema = z.object({
  account: z.string().min(1),
  broker_account_id: z.string().min(1),
  status: z.string().min(1),
  currency: z.string().optional(),
  daytrade_count: nonNegativeInt.optional(),
  fetched_at: nonNegativeInt,
  version: nonNegativeInt,
  source: z.enum(['alpaca', 'simulator']),
  ...moneyShape,
  ...flagShape,
});

/** Snapshot → flat string hash for one `HSET`; absent optional fields are simply not written. */
export function encodeSnapshot(s: AccountSnapshot): SnapshotHash {
  const out: SnapshotHash = {
    account: s.account,
    broker_account_id: s.broker_account_id,
    status: s.status,
    fetched_at: String(s.fetched_at),
    version: String(s.version),
    source: s.source,
  };
  if (s.currency !== undefined) out.currency = s.currency;
  if (s.daytrade_count !== undefined) out.daytrade_count = String(s.daytrade_count);
  for (const f of SNAPSHOT_MONEY_FIELDS) {
    const v = s[f];
    if (v !== undefined) out[f] = v;
  }
  for (const f of SNAPSHOT_FLAG_FIELDS) {
    const v = s[f];
    if (v !== undefined) out[f] = v ? 'true' : 'false';
  }
  return out;
}

export type DecodeResult =
  | { readonly ok: true; readonly snapshot: AccountSnapshot }
  | { readonly ok: false; readonly reason: string };

/** Hash (as `HGETALL` returns it) → snapshot. An empty hash (missing key) is "absent", not an error. */
export function decodeSnapshot(hash: Record<string, string>): DecodeResult {
  const r = snapshotHashSchema.safeParse(hash);
  if (r.success) return { ok: true, snapshot: stripUndefined(r.data) as AccountSnapshot };
  const reason = r.error.issues.map((i) => `${i.path.join('.') || '(hash)'}: ${i.message}`).join('; ');
  return { ok: false, reason };
}

function stripUndefined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
