import { describe, expect, it } from 'vitest';
import { cachedProbe, errorText, withDeadline } from './probes.js';

describe('withDeadline', () => {
  it('passes the result through in time and names the work when late', async () => {
    expect(await withDeadline(Promise.resolve(7), 50, 'fast')).toBe(7);
    await expect(withDeadline(new Promise(() => {}), 20, 'PING')).rejects.toThrow(
      'PING timed out after 20 ms',
    );
  });
});

describe('cachedProbe', () => {
  it('runs the probe once per ttl, shares a run in flight and turns a throw into a failed check', async () => {
    let runs = 0;
    let fail = false;
    const probe = cachedProbe(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 10));
      if (fail) throw Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' });
      return { ok: true };
    }, 60);
    const [a, b] = await Promise.all([probe(), probe()]);
    expect([a, b, runs]).toEqual([{ ok: true }, { ok: true }, 1]);
    fail = true;
    expect(await probe()).toEqual({ ok: true }); // cached
    await new Promise((r) => setTimeout(r, 70));
    expect(await probe()).toEqual({ ok: false, detail: 'ECONNREFUSED: connect refused' });
    expect(runs).toBe(2);
  });
});

describe('errorText', () => {
  it('leads with the code unless the message has it', () => {
    expect(errorText(Object.assign(new Error('ECONNRESET by peer'), { code: 'ECONNRESET' }))).toBe(
      'ECONNRESET by peer',
    );
    expect(errorText('plain')).toBe('plain');
  });
});
