import { type TradeClient, tradeJobId } from '@friren/client';
import { parseTradeJob } from '@friren/contracts';
import { type Database, listRejected, type StoredRejected } from '@friren/db';
import type { Queue } from 'bullmq';
import { z } from 'zod';

/**
 * Operator's path back for rejected trades: list what was rejected and why, then re-submit one
 * after fixing it. The stored payload is never edited; the fix is a patch applied on the way out,
 * and the result must pass the same validation as any producer's trade.
 */

/** A patch is a JSON object of top-level fields; `null` removes a field. */
export const patchSchema = z.record(z.string(), z.unknown());
export type Patch = z.infer<typeof patchSchema>;

export async function findRejected(database: Database, id: string): Promise<StoredRejected | undefined> {
  if (!/^\d{1,20}$/.test(id) || id === '0') return undefined;
  const previous = (BigInt(id) - 1n).toString();
  const [row] = await listRejected(database.db, { afterId: previous, limit: 1 });
  return row?.id === id ? row : undefined;
}

export type ReplayOutcome =
  | { readonly ok: true; readonly jobId: string; readonly payload: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

export interface ReplayDeps {
  readonly database: Database;
  readonly client: TradeClient;
  /** The `trades` queue, to clear a failed job holding the id the replay needs. */
  readonly queue: Queue;
  readonly accounts: readonly string[];
}

export async function replayRejected(
  deps: ReplayDeps,
  id: string,
  patch: Patch = {},
  opts: { dryRun?: boolean } = {},
): Promise<ReplayOutcome> {
  const row = await findRejected(deps.database, id);
  if (!row) return { ok: false, reason: `no rejected trade with id ${id}` };
  let original: unknown;
  try {
    original = JSON.parse(row.payload);
  } catch {
    return {
      ok: false,
      reason: 'the stored payload is not JSON (truncated?); submit a corrected trade instead',
    };
  }
  if (typeof original !== 'object' || original === null || Array.isArray(original)) {
    return { ok: false, reason: 'the stored payload is not a JSON object; submit a corrected trade instead' };
  }
  const payload: Record<string, unknown> = { ...(original as Record<string, unknown>) };
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) delete payload[field];
    else payload[field] = value;
  }
  const parsed = parseTradeJob(payload, { accounts: deps.accounts });
  if (!parsed.ok) return { ok: false, reason: `still invalid: ${parsed.reason}` };
  const jobId = tradeJobId(parsed.value.account, parsed.value.trade_id);
  if (opts.dryRun) return { ok: true, jobId, payload };

  // The rejected job itself may still be retained (failed) under the id the client derives; BullMQ
  // would silently ignore an add with that id, so a failed one is removed first.
  const existing = await deps.queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state !== 'failed') {
      return {
        ok: false,
        reason: `job ${jobId} for this trade_id already exists (${state}); nothing to replay`,
      };
    }
    await existing.remove();
  }
  const submitted = await deps.client.submit(payload as Parameters<TradeClient['submit']>[0]);
  switch (submitted.status) {
    case 'queued':
      return { ok: true, jobId, payload };
    case 'duplicate':
      return { ok: false, reason: `job ${jobId} already holds this trade; nothing to replay` };
    case 'rejected':
      return { ok: false, reason: `job ${jobId} holding this trade failed again: ${submitted.failedReason}` };
    case 'conflict':
      return {
        ok: false,
        reason:
          `job ${submitted.queuedJobId} holds another trade under this (account, trade_id) ` +
          `(${submitted.differences.map((d) => d.field).join(', ')} differ); queued as ${submitted.jobId}, ` +
          'which the recorder will keep as a conflict',
      };
  }
}
