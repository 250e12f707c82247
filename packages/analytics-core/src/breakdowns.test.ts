import { describe, expect, it } from 'vitest';
import { AnalyticsAccumulator } from './accumulator.js';
import { breakdowns } from './breakdowns.js';
import { confidenceIndex, sentimentIndex } from './buckets.js';
import type { AnalyticsTrade } from './types.js';

describe('buckets', () => {
  it('puts FinBERT sentiment in negative < −0.2 ≤ neutral ≤ 0.2 < positive', () => {
    expect([-1, -0.2000001, -0.2, 0, 0.2, 0.2000001, 1, null, undefined].map(sentimentIndex)).toEqual([
      0, 0, 1, 1, 1, 2, 2, 3, 3,
    ]);
  });
  it('puts confidence in fixed-width quintiles', () => {
    expect([0, 0.1999, 0.2, 0.4, 0.5999, 0.6, 0.8, 1, null].map(confidenceIndex)).toEqual([
      0, 0, 1, 2, 2, 3, 4, 4, 5,
    ]);
  });
});

describe('breakdowns', () => {
  let n = 0;
  const t = (p: Partial<AnalyticsTrade>): AnalyticsTrade => ({
    trade_id: `b${++n}`,
    account: 'a',
    symbol: 'X',
    side: 'buy',
    quantity: '1',
    price: '10',
    fees: '0',
    timestamp: '2024-05-06T15:00:00Z',
    strategy_used: 'open',
    ...p,
  });

  it('splits the account’s closing P&L by symbol, sentiment and confidence of the closing fill, and each strategy on its own lots', () => {
    const acc = new AnalyticsAccumulator();
    acc.addAll([
      t({ symbol: 'X', quantity: '2' }),
      t({ symbol: 'Y', quantity: '1', price: '50' }),
      // Account: +5, exit on positive, confident news (news itself opens a short: it held no X)
      t({
        symbol: 'X',
        side: 'sell',
        price: '15',
        strategy_used: 'news',
        finbert_sentiment: 0.9,
        confidence_score: 0.95,
      }),
      // Account: −3, exit on negative, unsure news (news adds to its short)
      t({
        symbol: 'X',
        side: 'sell',
        price: '7',
        strategy_used: 'news',
        finbert_sentiment: -0.5,
        confidence_score: 0.1,
      }),
      // Account: −10, no sentiment given (stop opens a short of its own)
      t({ symbol: 'Y', side: 'sell', price: '40', strategy_used: 'stop' }),
      t({ symbol: 'Z', quantity: '4', price: '2', strategy_used: 'news' }),
    ]);
    const b = breakdowns(acc, { X: '9', Y: '45', Z: '2.5' });
    expect(b.overall).toMatchObject({
      closing_trades: 3,
      realized_pnl: '-8',
      unrealized_pnl: '2',
      total_pnl: '-6',
    });
    // open: X 2 × 9 − 20 = −2, Y 45 − 50 = −5; news: X −2 × 9 + 22 = 4, Z 10 − 8 = 2; stop: −45 + 40.
    expect(b.by_strategy['open']).toMatchObject({
      realized_pnl: '0',
      unrealized_pnl: '-7',
      closing_trades: 0,
    });
    expect(b.by_strategy['news']).toMatchObject({
      realized_pnl: '0',
      unrealized_pnl: '6',
      closing_trades: 0,
    });
    expect(b.by_strategy['stop']).toMatchObject({
      realized_pnl: '0',
      unrealized_pnl: '-5',
      closing_trades: 0,
    });
    // Σ strategies' total = the account's total (−7 + 6 − 5 = −6).
    expect(b.by_symbol['X']).toMatchObject({ realized_pnl: '2', unrealized_pnl: '0' });
    expect(b.by_symbol['Z']).toMatchObject({ realized_pnl: '0', unrealized_pnl: '2' });
    expect(b.by_sentiment.positive).toMatchObject({
      realized_pnl: '5',
      closing_trades: 1,
      unrealized_pnl: null,
    });
    expect(b.by_sentiment.negative).toMatchObject({ realized_pnl: '-3' });
    expect(b.by_sentiment.unknown).toMatchObject({ realized_pnl: '-10' });
    expect(b.by_sentiment.neutral.closing_trades).toBe(0);
    expect(b.by_confidence.q5).toMatchObject({ realized_pnl: '5' });
    expect(b.by_confidence.q1).toMatchObject({ realized_pnl: '-3' });
    expect(b.by_confidence.unknown).toMatchObject({ realized_pnl: '-10' });
    expect(b.missing_prices).toEqual([]);
    expect(breakdowns(acc, { Z: '2.5' }).missing_prices).toEqual(['X', 'Y']);
  });
});
