import { describe, expect, it } from 'vitest';
import {
  decodePerformance,
  encodePerformance,
  type PerformanceReport,
  type PerformanceSummary,
} from './performance.js';

const ledger: PerformanceSummary = {
  total_pnl: '135',
  realized_pnl: '90',
  total_return_pct: 0.135,
  sharpe_ratio: 3.7,
  sortino_ratio: null,
  max_drawdown_pct: -0.05,
  calmar_ratio: null,
  win_rate_pct: 100,
  profit_factor: null,
  expectancy: '45',
  trades_count: 4,
  as_of: '2026-12-04T16:00:00.000Z',
};

describe('performance hash: the broker group', () => {
  it('round-trips under broker:<field>, apart from the ledger figures, source included', () => {
    const report: PerformanceReport = {
      overall: ledger,
      strategies: { mom: ledger },
      broker: {
        source: 'simulator',
        from: '2026-11-03',
        to: '2026-12-04',
        days: 23,
        live_today: true,
        equity: '100135.5',
        total_return_pct: 1.2,
        sharpe_ratio: 0.8,
        sortino_ratio: null,
        max_drawdown_pct: -2.5,
        calmar_ratio: 3,
      },
      version: 7,
    };
    const hash = encodePerformance(report);
    expect(hash['broker:source']).toBe('simulator');
    expect(hash['broker:sortino_ratio']).toBe('null');
    expect(hash['total_pnl']).toBe('135');
    expect(decodePerformance(hash)).toEqual({ ...report, breakdowns: null, marks: null, mark_notes: null });
  });

  it('reads a hash without the group as broker null', () => {
    const hash = encodePerformance({ overall: ledger, strategies: {}, version: 1 });
    expect(Object.keys(hash).some((k) => k.startsWith('broker:'))).toBe(false);
    expect(decodePerformance(hash)?.broker).toBeNull();
    expect(decodePerformance({ ...hash, breakdowns: '{not json' })?.breakdowns).toBeNull();
  });

  it('carries the marks and their notes as JSON fields, and drops a malformed one rather than the report', () => {
    const report: PerformanceReport = {
      overall: ledger,
      strategies: {},
      marks: {
        NVDA: { price: '182.5', source: 'broker', date: '2026-12-04' },
        XYZ: { price: '104', source: 'last-fill', date: '2026-12-03' },
      },
      mark_notes: [
        { symbol: 'XYZ', reason: 'no broker mark', days: 2, first: '2026-12-02', last: '2026-12-03' },
      ],
      version: 3,
    };
    const hash = encodePerformance(report);
    expect(JSON.parse(hash['marks'] ?? '')).toEqual(report.marks);
    const back = decodePerformance(hash);
    expect(back?.marks).toEqual(report.marks);
    expect(back?.mark_notes).toEqual(report.mark_notes);
    // A float price or an unknown source is not a mark we can show; the figures still are.
    const bad = { ...hash, marks: JSON.stringify({ NVDA: { price: 1.5, source: 'broker', date: 'x' } }) };
    expect(decodePerformance(bad)?.marks).toBeNull();
    expect(decodePerformance(bad)?.overall.total_pnl).toBe('135');
    expect(
      decodePerformance({ ...hash, mark_notes: '[{"symbol":"X","reason":"guess"}]' })?.mark_notes,
    ).toBeNull();
  });
});
