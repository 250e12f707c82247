import { describe, expect, it } from 'vitest';
import {
  decodePerformance,
  encodePerformance,
  PERFORMANCE_FIELD_KINDS,
  PERFORMANCE_FIELDS,
  type PerformanceSummary,
  parsePerformance,
} from './performance.js';

const summary = (pnl: string): PerformanceSummary => ({
  total_pnl: pnl,
  realized_pnl: '10.5',
  total_return_pct: 1.5e-7,
  sharpe_ratio: null,
  sortino_ratio: -2,
  max_drawdown_pct: 3,
  calmar_ratio: null,
  win_rate_pct: 50,
  profit_factor: 1e21,
  expectancy: '-0.000000001',
  trades_count: 4,
  as_of: '2026-11-25T15:00:00.000Z',
});

const valid = () =>
  encodePerformance({ overall: summary('1500'), strategies: { 'mean:rev': summary('-12.5') }, version: 3 });

describe('parsePerformance', () => {
  it('accepts what encodePerformance writes, exponents and nulls included', () => {
    const r = parsePerformance(valid());
    expect(r.kind).toBe('ok');
    if (r.kind === 'ok') {
      expect(r.report.overall.total_return_pct).toBe(1.5e-7);
      expect(r.report.overall.profit_factor).toBe(1e21);
      expect(r.report.strategies['mean:rev']?.total_pnl).toBe('-12.5');
    }
    expect(parsePerformance({})).toEqual({ kind: 'absent' });
  });

  it('names every field that breaks the rule of its kind, overall and per strategy', () => {
    const hash = {
      ...valid(),
      total_pnl: 'garbage',
      sharpe_ratio: 'NaN',
      'strategy:mean:rev:expectancy': '1e5',
      'strategy:mean:rev:trades_count': '-1',
      as_of: 'yesterday',
      version: 'x',
    };
    const r = parsePerformance(hash);
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') {
      expect([...r.fields].sort()).toEqual(
        [
          'as_of',
          'sharpe_ratio',
          'strategy:mean:rev:expectancy',
          'strategy:mean:rev:trades_count',
          'total_pnl',
          'version',
        ].sort(),
      );
      expect(r.reason).toContain('total_pnl: must be a decimal string');
      expect(r.reason).toContain('sharpe_ratio: must be a finite number or null');
    }
    expect(decodePerformance(hash)).toBeNull();
  });

  it.each([
    ['money', ['1.', '.5', '1e5', ' 1', '0x10', 'Infinity', '']],
    ['ratio', ['Infinity', '-Infinity', '1.', 'abc', '', '1e']],
    ['count', ['1.5', '-1', 'abc', '']],
    ['timestamp', ['2026-13-45T99:00:00Z', 'now', '2026-11-25']],
  ] as const)('refuses a bad %s value', (kind, bad) => {
    const field = PERFORMANCE_FIELDS.find((f) => PERFORMANCE_FIELD_KINDS[f] === kind)!;
    for (const v of bad) {
      const r = parsePerformance({ ...valid(), [field]: v });
      expect(r.kind, `${field}=${JSON.stringify(v)}`).toBe('invalid');
    }
  });

  it('ignores fields it does not know (a newer writer)', () => {
    expect(parsePerformance({ ...valid(), future_figure: 'anything', 'strategy:x:y': 'z' }).kind).toBe('ok');
  });
});
