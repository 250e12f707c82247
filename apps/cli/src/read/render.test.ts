import type { PerformanceReport, PerformanceSummary } from '@friren/contracts';
import type { SnapshotRead } from '@friren/orchestrator-core';
import { describe, expect, it } from 'vitest';
import { renderMarks, renderPerformance, renderSnapshotHeader } from './render.js';

const snapshot = {
  account: 'demo',
  broker_account_id: 'b-1',
  status: 'ACTIVE',
  fetched_at: 1_000,
  version: 7,
  source: 'simulator',
  equity: '100000',
} as const;

function read(age_ms: number, skewed: boolean, source: 'alpaca' | 'simulator' = 'simulator') {
  return {
    known: true,
    snapshot: { ...snapshot, source },
    source: 'memory',
    origin: 'redis',
    age_ms,
    stale: skewed || age_ms > 2_000,
    skewed,
  } satisfies SnapshotRead;
}

const summary: PerformanceSummary = {
  total_pnl: '10',
  realized_pnl: '10',
  total_return_pct: 0.01,
  sharpe_ratio: 1.5,
  sortino_ratio: 2,
  max_drawdown_pct: -0.5,
  calmar_ratio: 3,
  win_rate_pct: 50,
  profit_factor: 2,
  expectancy: '5',
  trades_count: 2,
  as_of: '2026-12-04T15:00:00.000Z',
};

describe('renderSnapshotHeader', () => {
  it('reads a snapshot dated 12.5 s ahead as clock skew in the future, never a negative age', () => {
    const text = renderSnapshotHeader(read(-12_500, true));
    expect(text).toContain('clock skew: fetched 12.5 s in the future');
    expect(text).toContain('STALE (clock skew)');
    expect(text).not.toContain('fetched -');
    expect(text).not.toContain(' ago');
  });

  it('reads an ordinary snapshot as fetched 1.2 s ago, fresh', () => {
    const text = renderSnapshotHeader(read(1_200, false, 'alpaca'));
    expect(text).toContain('fetched 1.2 s ago, read from memory: fresh');
    expect(text).not.toContain('SIMULATOR');
  });

  it('says when the balances are the simulator’s', () => {
    expect(renderSnapshotHeader(read(100, false))).toMatch(/^SIMULATOR: every balance/m);
  });
});

describe('renderMarks', () => {
  it('shows each held symbol’s mark and its source, last fills called out', () => {
    const lines = renderMarks({
      NVDA: { price: '182.5', source: 'broker', date: '2026-12-04' },
      AAPL: { price: '195.4', source: 'last-fill', date: '2026-12-03' },
    }).join('\n');
    expect(lines).toMatch(/^AAPL +195\.40 +last fill \(no broker price\) +2026-12-03$/m);
    expect(lines).toMatch(/^NVDA +182\.50 +broker +2026-12-04$/m);
  });

  it('shows nothing for a view without marks, and leaves a malformed entry out', () => {
    expect(renderMarks(undefined)).toEqual([]);
    const lines = renderMarks({ SPY: { price: 7 }, MSFT: { price: '421', source: 'broker' } }).join('\n');
    expect(lines).toContain('MSFT');
    expect(lines).not.toContain('SPY');
  });
});

describe('renderPerformance', () => {
  it('names the simulator as the account group’s source and shows the marks the view carries', () => {
    const report = {
      overall: summary,
      strategies: { momentum: summary },
      broker: {
        source: 'simulator',
        from: '2026-11-02',
        to: '2026-12-04',
        days: 24,
        live_today: true,
        equity: '100000',
        total_return_pct: 1,
        sharpe_ratio: 0.8,
        sortino_ratio: 1,
        max_drawdown_pct: -2,
        calmar_ratio: 0.5,
      },
      version: 3,
      marks: { NVDA: { price: '182.5', source: 'broker', date: '2026-12-04' } },
      mark_notes: [
        { symbol: 'XYZ', reason: 'bad broker mark', days: 3, first: '2026-12-01', last: '2026-12-03' },
      ],
    } satisfies PerformanceReport;
    const text = renderPerformance(report);
    expect(text).toContain('account (broker) — SIMULATOR');
    expect(text).toMatch(/^simulator +24 /m);
    expect(text).toMatch(/^momentum +2 +\+10\.00 .* 1\.50 /m);
    expect(text).toMatch(/^NVDA +182\.50 +broker/m);
    expect(text).toMatch(/^XYZ +bad broker mark +3 +2026-12-01 +2026-12-03$/m);
  });
});
