import { loadConfig } from '@friren/config';
import { describe, expect, it } from 'vitest';
import { deriveTuning } from './settings.js';

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

describe('POLLER_* knobs', () => {
  it('probes after 60 s doubling to 15 min and reloads credential files every 10 s by default', () => {
    expect(deriveTuning(config(30_000), {}, {})).toMatchObject({
      authProbeMs: 60_000,
      authProbeMaxMs: 900_000,
      credentialReloadMs: 10_000,
    });
  });

  it('reads the environment, lets overrides win, and keeps the cap at or above the first wait', () => {
    const env = {
      POLLER_AUTH_PROBE_MS: '2000',
      POLLER_AUTH_PROBE_MAX_MS: '500',
      POLLER_CREDENTIAL_RELOAD_MS: '0',
    };
    expect(deriveTuning(config(30_000), {}, env)).toMatchObject({
      authProbeMs: 2_000,
      authProbeMaxMs: 2_000,
      credentialReloadMs: 0,
    });
    expect(deriveTuning(config(30_000), { authProbeMs: 300 }, env).authProbeMs).toBe(300);
  });

  it('names a bad variable without echoing it', () => {
    expect(() => deriveTuning(config(30_000), {}, { POLLER_AUTH_PROBE_MS: '50' })).toThrow(
      /POLLER_AUTH_PROBE_MS: must be between 100 and 86400000/,
    );
  });
});
