import { loadConfig } from '@friren/config';
import { describe, expect, it } from 'vitest';
import { deriveTuning } from './tuning.js';

const config = (refreshMs: number) =>
  loadConfig(
    { SNAPSHOT_REFRESH_MS: String(refreshMs), SNAPSHOT_MIN_INTERVAL_MS: '1', SNAPSHOT_TTL_MS: '2000000' },
    { opsPort: 0 },
  );

describe('deriveTuning', () => {
  it('sizes the lease from the interval, within [2 s, 15 s]', () => {
    expect(deriveTuning(config(300)).leaseMs).toBe(2_000);
    expect(deriveTuning(config(4_000)).leaseMs).toBe(12_000);
    expect(deriveTuning(config(30_000)).leaseMs).toBe(15_000);
  });

  it('renews three times per lease and never waits for a slot longer than an interval', () => {
    const t = deriveTuning(config(30_000));
    expect(t.renewEveryMs).toBe(5_000);
    expect(t.maxRateLimitWaitMs).toBe(5_000);
    expect(deriveTuning(config(300)).maxRateLimitWaitMs).toBe(300);
    expect(t.requestTimeoutMs).toBe(10_000);
  });

  it('takes overrides', () => {
    expect(deriveTuning(config(30_000), { leaseMs: 999, renewEveryMs: 10 })).toMatchObject({
      leaseMs: 999,
      renewEveryMs: 10,
    });
  });
});
