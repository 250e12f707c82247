import type { PerformanceReport } from '@friren/contracts';
import { lockAnalyticsState } from '@friren/db';
import { writePerformance } from './publish.js';
import type { RecomputeContext } from './recompute.js';

/**
 * - `written`: the hash holds this report;
 * - `newer`: a later revision is (or is about to be) in the hash: nothing to do;
 * - `replaced`: the hash claimed a version the database never reached, and now holds this report.
 */
export type PublishOutcome = 'written' | 'newer' | 'replaced';

/**
 * Publishes a committed report. The hash's `version` only orders writes; the account's revision in
 * `analytics_state` is the truth. A hash claiming a version beyond it (corrupt, written by hand or by
 * a rogue writer) would refuse every later report, so it is logged, counted, and replaced by the
 * report of the latest revision — under the row lock, so no commit interleaves.
 */
export async function publishCurrent(
  ctx: RecomputeContext,
  account: string,
  report: PerformanceReport,
): Promise<PublishOutcome> {
  const first = await writePerformance(ctx.redis, ctx.keys, account, report);
  if (first.written) return 'written';
  if (first.found === report.version) return 'newer';
  return ctx.database.db.transaction().execute(async (trx) => {
    const { revision } = await lockAnalyticsState(trx, account);
    // Re-read under the lock: a later revision may have been written meanwhile.
    const again = await writePerformance(ctx.redis, ctx.keys, account, report);
    if (again.written) return 'written';
    if (again.found <= revision) return 'newer';
    ctx.metrics?.hashAhead.inc({ account });
    ctx.logger.error(
      { account, hashVersion: again.found, revision, version: report.version },
      'performance hash holds a version beyond the database revision: replacing it',
    );
    if (report.version !== revision) return 'newer'; // the run that committed `revision` replaces it
    const replaced = await writePerformance(ctx.redis, ctx.keys, account, report, again.found);
    return replaced.written ? 'replaced' : 'newer';
  });
}
