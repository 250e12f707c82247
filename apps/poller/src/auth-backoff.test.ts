import { describe, expect, it } from 'vitest';
import { AuthBackoff } from './auth-backoff.js';

const T = 1_000_000;

describe('AuthBackoff', () => {
  it('is not stopped until a refusal, and then lets nothing out before the probe', () => {
    const auth = new AuthBackoff({ authProbeMs: 60_000, authProbeMaxMs: 900_000 });
    expect(auth.stopped).toBe(false);
    expect(auth.probeAt).toBeNull();
    expect(auth.notBefore(T)).toBe(T);

    expect(auth.refused(T)).toBe(T + 60_000);
    expect(auth.stopped).toBe(true);
    expect(auth.probeAt).toBe(T + 60_000);
    // A regular fetch due in 1 s waits for the probe; one planned after it keeps its time.
    expect(auth.notBefore(T + 1_000)).toBe(T + 60_000);
    expect(auth.notBefore(T + 70_000)).toBe(T + 70_000);
  });

  it('doubles the wait with each refusal: 60 s, 120 s, 240 s, 480 s, then the 900 s cap', () => {
    const auth = new AuthBackoff({ authProbeMs: 60_000, authProbeMaxMs: 900_000 });
    const waits = [1, 2, 3, 4, 5, 6].map(() => auth.refused(T) - T);
    expect(waits).toEqual([60_000, 120_000, 240_000, 480_000, 900_000, 900_000]);
    expect(auth.refusals).toBe(6);
  });

  it('never overflows after very many refusals', () => {
    const auth = new AuthBackoff({ authProbeMs: 100, authProbeMaxMs: 86_400_000 });
    for (let i = 0; i < 100; i += 1) auth.refused(T);
    expect(auth.probeAt).toBe(T + 86_400_000);
  });

  it('lifting the stop reports the refusals and starts the doubling over', () => {
    const auth = new AuthBackoff({ authProbeMs: 1_000, authProbeMaxMs: 60_000 });
    expect(auth.lift()).toBeNull();
    auth.refused(T);
    auth.refused(T + 1_000);
    expect(auth.lift()).toBe(2);
    expect(auth.stopped).toBe(false);
    expect(auth.refusals).toBe(0);
    expect(auth.notBefore(T)).toBe(T);
    // The next refusal waits the first wait again, not the third.
    expect(auth.refused(T + 5_000)).toBe(T + 6_000);
  });
});
