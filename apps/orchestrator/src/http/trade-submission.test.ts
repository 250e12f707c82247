import { describe, expect, it } from 'vitest';
import { MAX_TRADES_PER_REQUEST, readSubmissionBody, submissionStatusCode } from './trade-submission.js';

const counts = (queued: number, duplicate: number, conflict: number, rejected: number, invalid: number) => ({
  queued,
  duplicate,
  conflict,
  rejected,
  invalid,
});

describe('trade submission answers', () => {
  it('is 202 only when every trade is queued or already held, 400 when none is, else 207', () => {
    expect(submissionStatusCode(counts(3, 0, 0, 0, 0))).toBe(202);
    expect(submissionStatusCode(counts(1, 2, 0, 0, 0))).toBe(202);
    expect(submissionStatusCode(counts(0, 1, 0, 0, 0))).toBe(202);
    expect(submissionStatusCode(counts(1, 0, 1, 0, 0))).toBe(207);
    expect(submissionStatusCode(counts(0, 1, 0, 1, 0))).toBe(207);
    expect(submissionStatusCode(counts(0, 0, 1, 1, 1))).toBe(400);
    expect(submissionStatusCode(counts(0, 0, 0, 0, 1))).toBe(400);
  });

  it('takes one trade object or an array of 1..1000', () => {
    expect(readSubmissionBody({ trade_id: 'x' })).toEqual({ ok: true, items: [{ trade_id: 'x' }] });
    expect(readSubmissionBody([1, 2])).toEqual({ ok: true, items: [1, 2] });
    expect(readSubmissionBody(new Array(MAX_TRADES_PER_REQUEST).fill({})).ok).toBe(true);
    expect(readSubmissionBody(new Array(MAX_TRADES_PER_REQUEST + 1).fill({})).ok).toBe(false);
    expect(readSubmissionBody([]).ok).toBe(false);
    expect(readSubmissionBody(null).ok).toBe(false);
    expect(readSubmissionBody('trade').ok).toBe(false);
  });
});
