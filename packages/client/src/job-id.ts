import { ACCOUNT_ALIAS_PATTERN, TRADE_ID_PATTERN } from '@friren/contracts';

/**
 * A trade is identified by (account, trade_id) (docs/CONTRACT.md §3), so its job id carries both:
 * `t_` + account + `.` + the trade id with every ':' written as '~'. BullMQ refuses custom job ids
 * that contain ':' or are all digits, while a `trade_id` may be both; '~' never occurs in a trade id
 * and '.' never in an account alias, so the mapping is reversible and an operator reads the trade
 * straight off the job id (`t_main.fill~42` ⇄ account `main`, trade `fill:42`).
 */
export const TRADE_JOB_ID_PREFIX = 't_';

/** Marks the job id of a trade submitted while another job held a different trade under its key. */
const CONFLICT_MARK = '!c-';

export interface TradeKey {
  readonly account: string;
  readonly tradeId: string;
}

export function tradeJobId(account: string, tradeId: string): string {
  if (!ACCOUNT_ALIAS_PATTERN.test(account)) {
    throw new RangeError(`not a valid account: ${JSON.stringify(account)}`);
  }
  if (!TRADE_ID_PATTERN.test(tradeId)) {
    throw new RangeError(`not a valid trade_id: ${JSON.stringify(tradeId)}`);
  }
  return `${TRADE_JOB_ID_PREFIX}${account}.${tradeId.replaceAll(':', '~')}`;
}

/**
 * The job id under which a trade conflicting with the queued one is submitted, so that the
 * recorder sees it and keeps it (in `rejected_trades`); `digest` (hex) makes a resubmission of the
 * same conflicting trade land on the same id.
 */
export function conflictJobId(jobId: string, digest: string): string {
  return `${jobId}${CONFLICT_MARK}${digest}`;
}

/** The trade a job id was derived from, or null when the job id is not of our form. */
export function tradeKeyFromJobId(jobId: string): TradeKey | null {
  if (!jobId.startsWith(TRADE_JOB_ID_PREFIX)) return null;
  const rest = jobId.slice(TRADE_JOB_ID_PREFIX.length).split(CONFLICT_MARK)[0]!;
  const dot = rest.indexOf('.');
  if (dot < 0) return null;
  const account = rest.slice(0, dot);
  const tradeId = rest.slice(dot + 1).replaceAll('~', ':');
  return ACCOUNT_ALIAS_PATTERN.test(account) && TRADE_ID_PATTERN.test(tradeId) ? { account, tradeId } : null;
}
