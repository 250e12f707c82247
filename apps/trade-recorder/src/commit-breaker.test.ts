import { sleep, waitUntil } from '@friren/observability/test-support';
import { describe, expect, it } from 'vitest';
import { CommitBreaker } from './commit-breaker.js';

function harness(probeResults: boolean[]) {
  const events: string[] = [];
  let probes = 0;
  const breaker = new CommitBreaker({
    probeMs: 5,
    probe: async () => {
      const ok = probeResults[probes++] ?? true;
      events.push(ok ? 'probe ok' : 'probe down');
      if (!ok) throw new Error('ECONNREFUSED');
    },
    pause: async () => {
      events.push('pause');
    },
    resume: async () => {
      events.push('resume');
    },
    onChange: (open) => events.push(open ? 'open' : 'closed'),
  });
  return { breaker, events, probes: () => probes };
}

const until = (cond: () => boolean) => waitUntil(cond, 2_000, 5);

describe('CommitBreaker', () => {
  it('pauses once, probes until the database answers, then resumes', async () => {
    const { breaker, events } = harness([false, false, true]);
    breaker.trip();
    breaker.trip(); // a second failed batch while open changes nothing
    expect(breaker.isOpen).toBe(true);
    await until(() => !breaker.isOpen);
    expect(events).toEqual(['open', 'pause', 'probe down', 'probe down', 'probe ok', 'resume', 'closed']);
  });

  it('trips again after closing', async () => {
    const { breaker, events } = harness([true, true]);
    breaker.trip();
    await until(() => !breaker.isOpen);
    breaker.trip();
    await until(() => !breaker.isOpen);
    expect(events.filter((e) => e === 'pause')).toHaveLength(2);
    expect(events.filter((e) => e === 'resume')).toHaveLength(2);
  });

  it('never resumes after stop(), and ignores trips from then on', async () => {
    const { breaker, events, probes } = harness([false, false, false, false]);
    breaker.trip();
    await until(() => probes() >= 1);
    await breaker.stop();
    expect(breaker.isOpen).toBe(false);
    breaker.trip();
    await sleep(30);
    expect(events).not.toContain('resume');
    expect(events.filter((e) => e === 'pause')).toHaveLength(1);
  });
});
