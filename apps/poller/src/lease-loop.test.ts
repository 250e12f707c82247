import { createLogger } from '@friren/observability';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeaseAttempt } from './lease.js';
import { type LeaseHandle, LeaseLoop } from './lease-loop.js';

const log = createLogger({ name: 'lease-loop-test', level: 'silent' });
const timing = { leaseMs: 3_000, renewEveryMs: 1_000 };
const T = 1_800_000_000_000;

/** A lease whose answers the test sets; it counts the calls. */
class FakeLease implements LeaseHandle {
  acquire: () => Promise<LeaseAttempt> = async () => ({ held: true });
  renewal: () => Promise<boolean> = async () => true;
  readonly calls = { tryAcquire: 0, renew: 0, release: 0 };
  tryAcquire(): Promise<LeaseAttempt> {
    this.calls.tryAcquire += 1;
    return this.acquire();
  }
  renew(): Promise<boolean> {
    this.calls.renew += 1;
    return this.renewal();
  }
  async release(): Promise<boolean> {
    this.calls.release += 1;
    return true;
  }
}

function setup(prepare: () => Promise<string> = async () => 'resume') {
  const lease = new FakeLease();
  const events: string[] = [];
  const loop = new LeaseLoop(
    lease,
    timing,
    {
      prepare,
      lead: (prepared) => events.push(`lead:${prepared}`),
      stepDown: () => events.push('stepDown'),
    },
    log,
  );
  return { lease, events, loop };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseLoop', () => {
  it('takes a free lease at once, leads with what prepare gathered, and renews every renewEveryMs', async () => {
    const { lease, events, loop } = setup();
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(['lead:resume']);
    expect(loop.leading).toBe(true);
    // Valid for leaseMs from the start of the acquire: until T + 3000.
    expect(loop.confirmed(T + 2_999)).toBe(true);
    expect(loop.confirmed(T + 3_000)).toBe(false);

    await vi.advanceTimersByTimeAsync(3_000);
    expect(lease.calls).toEqual({ tryAcquire: 1, renew: 3, release: 0 });
    // The renewal at T + 3000 extends it to T + 6000.
    expect(loop.confirmed(T + 5_999)).toBe(true);
    await loop.stop();
  });

  it('a follower retries right when the holder lease would expire, if sooner than renewEveryMs', async () => {
    const { lease, events, loop } = setup();
    lease.acquire = async () => ({ held: false, retryInMs: 250 });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(lease.calls.tryAcquire).toBe(1);
    // Next try at 250 + 1 ms, not after 1000 ms.
    await vi.advanceTimersByTimeAsync(250);
    expect(lease.calls.tryAcquire).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(lease.calls.tryAcquire).toBe(2);
    // With 5 s left on the holder's lease, it waits renewEveryMs.
    lease.acquire = async () => ({ held: false, retryInMs: 5_000 });
    await vi.advanceTimersByTimeAsync(251);
    expect(lease.calls.tryAcquire).toBe(3);
    await vi.advanceTimersByTimeAsync(999);
    expect(lease.calls.tryAcquire).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(lease.calls.tryAcquire).toBe(4);
    expect(events).toEqual([]);
    expect(loop.leading).toBe(false);
    await loop.stop();
  });

  it('a refused renewal ends leading at once', async () => {
    const { lease, events, loop } = setup();
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    lease.renewal = async () => false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toEqual(['lead:resume', 'stepDown']);
    expect(loop.leading).toBe(false);
    // Back to following: the next tick tries to acquire.
    lease.acquire = async () => ({ held: false, retryInMs: 2_000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(lease.calls.tryAcquire).toBe(2);
    await loop.stop();
  });

  it('failing renewals (Redis unreachable) end leading only once the lease may have expired', async () => {
    const { lease, events, loop } = setup();
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    lease.renewal = async () => {
      throw new Error('connection refused');
    };
    // Acquired at T: valid until T + 3000. Renewals at T + 1000 and T + 2000 fail: still leading.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(loop.leading).toBe(true);
    expect(events).toEqual(['lead:resume']);
    // The one at T + 3000 fails past the lease time: step down.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(loop.leading).toBe(false);
    expect(events).toEqual(['lead:resume', 'stepDown']);
    await loop.stop();
  });

  it('a failing prepare leaves it following, and the next tick tries again', async () => {
    let attempts = 0;
    const { events, loop } = setup(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('redis hiccup');
      return 'second';
    });
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(loop.leading).toBe(false);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toEqual(['lead:second']);
    await loop.stop();
  });

  it('stepDown from outside ends leading without releasing the lease', async () => {
    const { lease, events, loop } = setup();
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.stepDown();
    loop.stepDown();
    expect(events).toEqual(['lead:resume', 'stepDown']);
    expect(lease.calls.release).toBe(0);
    // Still ours in Redis: the next tick takes it again.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toEqual(['lead:resume', 'stepDown', 'lead:resume']);
    await loop.stop();
  });

  it('stop waits for a tick under way, never leads after it, and reports whether it led', async () => {
    let finishPrepare: (v: string) => void = () => undefined;
    const { lease, events, loop } = setup(
      () =>
        new Promise<string>((resolve) => {
          finishPrepare = resolve;
        }),
    );
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    const stopping = loop.stop();
    finishPrepare('late');
    expect(await stopping).toBe(false);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lease.calls.tryAcquire).toBe(1);

    const second = setup();
    second.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(await second.loop.stop()).toBe(true);
    expect(second.loop.leading).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(second.lease.calls.renew).toBe(0);
    expect(await second.loop.release()).toBe(true);
    expect(second.lease.calls.release).toBe(1);
  });
});
