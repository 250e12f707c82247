import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tradeIdFromJobId, tradeJobId } from './job-id.js';

const tradeIdArb = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);

describe('trade job ids', () => {
  it('are BullMQ-safe and map back to the trade id', () => {
    fc.assert(
      fc.property(tradeIdArb, (tradeId) => {
        const jobId = tradeJobId(tradeId);
        expect(jobId).not.toContain(':');
        expect(/^\d+$/.test(jobId)).toBe(false);
        expect(tradeIdFromJobId(jobId)).toBe(tradeId);
      }),
      { numRuns: 500 },
    );
  });

  it('handles the ids BullMQ would refuse as they are', () => {
    expect(tradeJobId('12345')).toBe('t_12345');
    expect(tradeJobId('alpaca:fill:8f2c1e')).toBe('t_alpaca~fill~8f2c1e');
  });

  it('distinct trade ids give distinct job ids', () => {
    expect(tradeJobId('a:b')).not.toBe(tradeJobId('a-b'));
    expect(tradeJobId('a:b')).not.toBe(tradeJobId('a_b'));
  });

  it('refuses what is not a trade id, and job ids not of its form', () => {
    expect(() => tradeJobId('has space')).toThrow(RangeError);
    expect(() => tradeJobId('')).toThrow(RangeError);
    expect(tradeIdFromJobId('42')).toBeNull();
    expect(tradeIdFromJobId('t_bad space')).toBeNull();
  });
});
