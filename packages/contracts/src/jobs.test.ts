import { describe, expect, it } from 'vitest';
import { jobRequest, recomputeJob, tickJob } from './jobs.js';

describe('job definitions', () => {
  it('a recompute request carries its options and a per-account deduplication id', () => {
    const request = jobRequest(recomputeJob, { account: 'main' });
    expect(request).toEqual({
      name: 'recompute',
      data: { account: 'main' },
      opts: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
        removeOnComplete: { age: 3600, count: 1000 },
        removeOnFail: { age: 604800 },
        deduplication: { id: 'recompute-main', keepLastIfActive: true },
      },
    });
    expect(recomputeJob.queue).toBe('analytics');
  });

  it('checks the recompute payload', () => {
    expect(recomputeJob.schema.safeParse({ account: 'hedge-1' }).success).toBe(true);
    expect(recomputeJob.schema.safeParse({ account: 'Main' }).success).toBe(false);
    expect(recomputeJob.schema.safeParse({}).success).toBe(false);
  });

  it('a tick is not deduplicated', () => {
    expect(jobRequest(tickJob, {}).opts).toEqual({
      removeOnComplete: { count: 100 },
      removeOnFail: { count: 100 },
    });
  });
});
