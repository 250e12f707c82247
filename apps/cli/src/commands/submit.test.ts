import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { tradesFromFlags } from './submit.js';

describe('submit flags', () => {
  it('builds one trade with defaults for account, strategy, time and id', () => {
    const [trade] = tradesFromFlags(
      { symbol: 'AAPL', side: 'buy', quantity: '10', price: '195.40', sentiment: '0.4', confidence: '0.8' },
      ['solo'],
    ) as Record<string, unknown>[];
    expect(trade).toMatchObject({
      account: 'solo',
      symbol: 'AAPL',
      side: 'buy',
      quantity: '10',
      price: '195.40',
      strategy_used: 'manual',
      finbert_sentiment: 0.4,
      confidence_score: 0.8,
    });
    expect(trade?.trade_id).toMatch(/^cli-[a-z0-9]+-[0-9a-f]{8}$/);
    expect(Number.isNaN(Date.parse(String(trade?.timestamp)))).toBe(false);
  });

  it('names every missing flag at once', () => {
    expect(() => tradesFromFlags({ symbol: 'AAPL' }, ['solo'])).toThrow(
      /--side is required[\s\S]*--quantity is required[\s\S]*--price is required/,
    );
  });

  it('needs --account when several accounts are configured', () => {
    expect(() =>
      tradesFromFlags({ symbol: 'A', side: 'buy', quantity: '1', price: '1' }, ['a', 'b']),
    ).toThrow(/--account is required/);
  });

  it('takes JSON as given (one or many) and refuses mixing it with flags', () => {
    expect(tradesFromFlags({ json: '[{"a":1},{"b":2}]' }, ['solo'])).toHaveLength(2);
    expect(tradesFromFlags({ json: '{"a":1}' }, ['solo'])).toEqual([{ a: 1 }]);
    expect(() => tradesFromFlags({ json: '{"a":1}', symbol: 'X' }, ['solo'])).toThrow(UsageError);
    expect(() => tradesFromFlags({ json: '{oops' }, ['solo'])).toThrow(/not JSON/);
  });

  it('refuses a non-numeric sentiment and non-object metadata', () => {
    const base = { symbol: 'A', side: 'buy', quantity: '1', price: '1' };
    expect(() => tradesFromFlags({ ...base, sentiment: 'high' }, ['solo'])).toThrow(
      /--sentiment: must be a number/,
    );
    expect(() => tradesFromFlags({ ...base, metadata: '[1]' }, ['solo'])).toThrow(/--metadata/);
  });
});
