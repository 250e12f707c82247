import type { AccountSnapshot } from '@friren/contracts';
import { describe, expect, it } from 'vitest';
import { judgeHealth } from './health.js';
import type { PollerStatus, SnapshotRead } from './types.js';

const snapshot: AccountSnapshot = {
  account: 'acct',
  broker_account_id: 'b-1',
  status: 'ACTIVE',
  fetched_at: 1,
  version: 1,
  source: 'simulator',
  trading_blocked: false,
  account_blocked: false,
};
const fresh = (s: Partial<AccountSnapshot> = {}, age = 10): SnapshotRead => ({
  known: true,
  snapshot: { ...snapshot, ...s },
  source: 'memory',
  origin: 'redis',
  age_ms: age,
  stale: age > 1000 || age < -100,
  skewed: age < -100,
});
const poller = (p: Partial<PollerStatus>): PollerStatus => ({
  leader: 'p-1',
  last_success_at: 1,
  last_error: null,
  last_error_at: null,
  consecutive_failures: 0,
  broker_calls_total: 5,
  rate_limited_total: 0,
  ...p,
});

const codes = (h: { reasons: readonly string[] }) => h.reasons.map((r) => r.slice(0, r.indexOf(':')));

describe('judgeHealth', () => {
  const common = { redisReachable: true, ttlMs: 1000, pollerFailureLimit: 3 };

  it.each([
    ['healthy', fresh(), poller({}), true, []],
    ['stale snapshot', fresh({}, 1001), null, true, ['snapshot_stale']],
    ['status not ACTIVE', fresh({ status: 'ACCOUNT_CLOSED' }), null, true, ['broker_status']],
    ['trading blocked', fresh({ trading_blocked: true }), null, true, ['trading_blocked']],
    ['account blocked', fresh({ account_blocked: true }), null, true, ['account_blocked']],
    [
      'poller failing',
      fresh(),
      poller({ consecutive_failures: 3, last_error: 'timeout' }),
      true,
      ['poller_failing'],
    ],
    ['poller below the limit', fresh(), poller({ consecutive_failures: 2, last_error: '5xx' }), true, []],
    [
      'poller auth failure',
      fresh(),
      poller({ consecutive_failures: 1, last_error: 'auth' }),
      true,
      ['poller_auth'],
    ],
    ['redis unreachable', fresh(), null, false, ['redis_unreachable']],
    // Dated ahead of the tolerance: skewed, named as such rather than as a negative stale age.
    ['dated 600 s ahead', fresh({}, -600_000), null, true, ['clock_skew']],
    ['dated 50 ms ahead (within tolerance)', fresh({}, -50), null, true, []],
    [
      'no snapshot, redis down',
      {
        known: false,
        snapshot: null,
        source: null,
        origin: null,
        age_ms: null,
        stale: true,
        skewed: false,
        reason: 'x',
      } as const,
      null,
      false,
      ['redis_unreachable', 'no_snapshot'],
    ],
  ] as const)('%s', (_name, read, p, reachable, expected) => {
    const h = judgeHealth({ ...common, read, poller: p, redisReachable: reachable });
    expect(codes(h)).toEqual(expected);
    expect(h.healthy).toBe(expected.length === 0);
  });
});
