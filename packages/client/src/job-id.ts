import { TRADE_ID_PATTERN } from '@friren/contracts';

/**
 * BullMQ refuses custom job ids that contain ':' or are all digits, while a `trade_id` may be both
 * (docs/CONTRACT.md §3). The job id is therefore `t_` + the trade id with every ':' written as '~' — a
 * character trade ids never contain, so the mapping is reversible and an operator can read the
 * trade id straight off the job id (`t_fill~42` ⇄ `fill:42`).
 */
export const TRADE_JOB_ID_PREFIX = 't_';

export function tradeJobId(tradeId: string): string {
  if (!TRADE_ID_PATTERN.test(tradeId)) {
    throw new RangeError(`not a valid trade_id: ${JSON.stringify(tradeId)}`);
  }
  return TRADE_JOB_ID_PREFIX + tradeId.replaceAll(':', '~');
}

/** The trade id a job id was derived from, or null when the job id is not of our form. */
export function tradeIdFromJobId(jobId: string): string | null {
  if (!jobId.startsWith(TRADE_JOB_ID_PREFIX)) return null;
  const tradeId = jobId.slice(TRADE_JOB_ID_PREFIX.length).replaceAll('~', ':');
  return TRADE_ID_PATTERN.test(tradeId) ? tradeId : null;
}
