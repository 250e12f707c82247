import { describe, expect, it } from 'vitest';
import { redisKeys } from './keys.js';
import { decodePerformance, encodePerformance, type PerformanceSummary } from './performance.js';
import { decodeAccountUpdate, encodeAccountUpdate } from './updates.js';

describe('redis keys', () => {
  it('builds the contract names from prefix and alias', () => {
    const k = redisKeys('friren');
    expect(k.snapshot('main')).toBe('friren:account:main:snapshot');
    expect(k.lastGood('main')).toBe('friren:account:main:snapshot:last-good');
    expect(k.positions('main')).toBe('friren:account:main:positions');
    expect(k.poller('main')).toBe('friren:account:main:poller');
    expect(k.history('main')).toBe('friren:account:main:history');
    expect(k.performance('main')).toBe('friren:account:main:performance');
    expect(k.updatedChannel('main')).toBe('friren:account:main:updated');
    expect(k.refreshChannel('main')).toBe('friren:account:main:refresh');
    expect(redisKeys('{friren}').snapshot('x')).toBe('{friren}:account:x:snapshot');
  });
});

const summary = (pnl: string, sharpe: number): PerformanceSummary => ({
  total_pnl: pnl,
  realized_pnl: pnl,
  total_return_pct: 1.5,
  sharpe_ratio: sharpe,
  sortino_ratio: Number.POSITIVE_INFINITY,
  max_drawdown_pct: -3.25,
  calmar_ratio: null,
  win_rate_pct: 50,
  profit_factor: 2,
  expectancy: '0.000000001',
  trades_count: 4,
  as_of: '2026-11-25T15:00:00.000Z',
});

describe('performance codec', () => {
  it('round-trips overall and per-strategy figures; non-finite becomes null', () => {
    const report = {
      overall: summary('1500', 1.25),
      strategies: { 'mean:rev:v2': summary('-12.5', Number.NaN), momentum: summary('1512.5', 0.5) },
      version: 3,
    };
    const hash = encodePerformance(report);
    expect(hash.total_pnl).toBe('1500');
    expect(hash.sortino_ratio).toBe('null');
    expect(hash['strategy:mean:rev:v2:sharpe_ratio']).toBe('null');
    for (const v of Object.values(hash))
      expect(() => JSON.parse(v === '2026-11-25T15:00:00.000Z' ? '0' : v)).not.toThrow();
    const back = decodePerformance(hash);
    expect(back?.version).toBe(3);
    expect(back?.overall.sortino_ratio).toBeNull();
    expect(back?.overall.max_drawdown_pct).toBe(-3.25);
    expect(Object.keys(back?.strategies ?? {}).sort()).toEqual(['mean:rev:v2', 'momentum']);
    expect(back?.strategies['mean:rev:v2']?.total_pnl).toBe('-12.5');
    expect(decodePerformance({})).toBeNull();
  });

  it('update messages are validated', () => {
    expect(decodeAccountUpdate(encodeAccountUpdate({ kind: 'snapshot', version: 9 }))).toEqual({
      kind: 'snapshot',
      version: 9,
    });
    expect(decodeAccountUpdate('{"kind":"other","version":1}')).toBeNull();
    expect(decodeAccountUpdate('not json')).toBeNull();
  });
});
