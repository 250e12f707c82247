import { describe, expect, it } from 'vitest';
import { portfolioHistorySchema } from './portfolio-history-schema.js';

/** The example of Alpaca's portfolio history reference, as the page gives it. */
const ALPACA_DOCS_HISTORY = `{
  "timestamp": [1580826600000, 1580827500000, 1580828400000],
  "equity": [27423.73, 27408.19, 27515.97],
  "profit_loss": [11.8, -3.74, 104.04],
  "profit_loss_pct": [0.000430469507254688, -0.0001364369455197062, 0.0037954277571845543],
  "base_value": 27411.93,
  "timeframe": "15Min"
}`;

describe('portfolioHistorySchema', () => {
  it('requires parallel series', () => {
    const ok = {
      timestamp: [1, 2],
      equity: [1, null],
      profit_loss: [0, 0],
      profit_loss_pct: [0, 0],
      timeframe: '1D',
    };
    expect(portfolioHistorySchema.safeParse(ok).success).toBe(true);
    expect(portfolioHistorySchema.safeParse({ ...ok, equity: [1] }).success).toBe(false);
  });

  it("accepts Alpaca's own documentation example", () => {
    const parsed = portfolioHistorySchema.parse(JSON.parse(ALPACA_DOCS_HISTORY));
    expect(parsed.timestamp).toHaveLength(3);
    expect(parsed.equity[2]).toBe(27515.97);
    expect(parsed['base_value']).toBe(27411.93);
  });

  it('keeps fields it does not use as sent, whatever their type', () => {
    const body = {
      ...JSON.parse(ALPACA_DOCS_HISTORY),
      base_value: '27411.93',
      base_value_asof: 20240102,
      cashflow: { CSD: [0, 0, 0] },
    };
    const parsed = portfolioHistorySchema.parse(body);
    expect(parsed['base_value']).toBe('27411.93');
    expect(parsed['base_value_asof']).toBe(20240102);
    expect(parsed['cashflow']).toEqual({ CSD: [0, 0, 0] });
  });

  it('stays strict for the series and timeframe analytics reads', () => {
    const body = JSON.parse(ALPACA_DOCS_HISTORY);
    expect(portfolioHistorySchema.safeParse({ ...body, equity: ['27423.73', 1, 2] }).success).toBe(false);
    expect(portfolioHistorySchema.safeParse({ ...body, timestamp: [1.5, 2, 3] }).success).toBe(false);
    expect(portfolioHistorySchema.safeParse({ ...body, timeframe: undefined }).success).toBe(false);
  });
});
