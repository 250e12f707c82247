import { z } from 'zod';
import type { PollerStatus } from './types.js';

/**
 * The poller's status hash is written by another process; every field is optional and a malformed
 * one reads as absent rather than hiding the rest (health must still be judged).
 */
const text = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? null : v));
const count = z
  .string()
  .optional()
  .transform((v) => (v !== undefined && /^\d{1,15}$/.test(v) ? Number(v) : null));

const pollerHashSchema = z.object({
  leader: text,
  last_success_at: count,
  last_error: text,
  last_error_at: count,
  consecutive_failures: count,
  broker_calls_total: count,
  rate_limited_total: count,
});

/** `HGETALL` result → status; an empty hash (no poller has run yet) → null. */
export function decodePollerStatus(hash: Record<string, string>): PollerStatus | null {
  if (Object.keys(hash).length === 0) return null;
  const r = pollerHashSchema.safeParse(hash);
  if (!r.success) return null;
  return { ...r.data, consecutive_failures: r.data.consecutive_failures ?? 0 };
}
