import { describe, expect, it } from 'vitest';
import { ReadStats } from './read-stats.js';

describe('ReadStats', () => {
  it('counts per layer and works out the session statistics by hand', () => {
    const s = new ReadStats();
    expect(s.session('a', null)).toMatchObject({ reads_total: 0, hit_ratio: null, memory_hit_ratio: null });
    s.memory += 6;
    s.redis += 2;
    s.lastGood += 1;
    s.miss += 1;
    s.backgroundLoads += 3;
    expect(s.count('memory')).toBe(6);
    expect(s.count('last-good')).toBe(1);
    const poller = {
      leader: 'p',
      last_success_at: 1,
      last_error: null,
      last_error_at: null,
      consecutive_failures: 0,
      broker_calls_total: 12,
      rate_limited_total: 2,
    };
    // 10 reads, 9 served (6 + 2 + 1), 6 from memory.
    expect(s.session('a', poller)).toEqual({
      account: 'a',
      broker_calls_total: 12,
      rate_limited_total: 2,
      reads: { memory: 6, redis: 2, 'last-good': 1, miss: 1 },
      reads_total: 10,
      hit_ratio: 0.9,
      memory_hit_ratio: 0.6,
      calls_saved: 9,
      background_loads: 3,
    });
  });
});
