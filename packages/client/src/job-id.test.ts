import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conflictJobId, tradeJobId, tradeKeyFromJobId } from './job-id.js';

const tradeIdArb = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
const accountArb = fc.stringMatching(/^[a-z0-9_-]{1,32}$/);

describe('trade job ids', () => {
  it('are BullMQ-safe and map back to the (account, trade id)', () => {
    fc.assert(
      fc.property(accountArb, tradeIdArb, (account, tradeId) => {
        const jobId = tradeJobId(account, tradeId);
        expect(jobId).not.toContain(':');
        expect(/^\d+$/.test(jobId)).toBe(false);
        expect(tradeKeyFromJobId(jobId)).toEqual({ account, tradeId });
        expect(tradeKeyFromJobId(conflictJobId(jobId, 'abc123'))).toEqual({ account, tradeId });
      }),
      { numRuns: 500 },
    );
  });

  it('handles the ids BullMQ would refuse as they are', () => {
    expect(tradeJobId('main', '12345')).toBe('t_main.12345');
    expect(tradeJobId('default', 'alpaca:fill:8f2c1e')).toBe('t_default.alpaca~fill~8f2c1e');
    expect(conflictJobId('t_main.x', '0f')).toBe('t_main.x!c-0f');
  });

  it('distinct trades give distinct job ids, the account included', () => {
    expect(tradeJobId('a', 'a:b')).not.toBe(tradeJobId('a', 'a-b'));
    expect(tradeJobId('a', 'a:b')).not.toBe(tradeJobId('a', 'a_b'));
    expect(tradeJobId('alpha', 'fill-1')).not.toBe(tradeJobId('beta', 'fill-1'));
    // An account cannot hold a dot, so account and trade id never run into each other.
    expect(tradeJobId('a', 'b.c')).not.toBe(tradeJobId('a-b', 'c'));
  });

  it('refuses what is not a trade id or an account, and job ids not of its form', () => {
    expect(() => tradeJobId('main', 'has space')).toThrow(RangeError);
    expect(() => tradeJobId('main', '')).toThrow(RangeError);
    expect(() => tradeJobId('Main', 'x')).toThrow(RangeError);
    expect(tradeKeyFromJobId('42')).toBeNull();
    expect(tradeKeyFromJobId('t_main.bad space')).toBeNull();
    expect(tradeKeyFromJobId('t_nodot')).toBeNull();
  });
});
