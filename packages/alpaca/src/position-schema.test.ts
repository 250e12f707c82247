import { describe, expect, it } from 'vitest';
import { brokerPositionSchema, brokerPositionsSchema } from './position-schema.js';

/** The sample position of Alpaca's positions reference, as the page gives it (symbol with a space). */
const ALPACA_DOCS_POSITION = `{
  "asset_id": "904837e3-3b76-47ec-b432-046db621571b",
  "symbol": "AAPL ",
  "exchange": "NASDAQ",
  "asset_class": "us_equity",
  "avg_entry_price": "100.0",
  "qty": "5",
  "qty_available": "4",
  "side": "long",
  "market_value": "600.0",
  "cost_basis": "500.0",
  "unrealized_pl": "100.0",
  "unrealized_plpc": "0.20",
  "unrealized_intraday_pl": "10.0",
  "unrealized_intraday_plpc": "0.0084",
  "current_price": "120.0",
  "lastday_price": "119.0",
  "change_today": "0.0084"
}`;

describe('brokerPositionSchema', () => {
  it("accepts Alpaca's own documentation example, decimals kept as sent", () => {
    const parsed = brokerPositionsSchema.parse([JSON.parse(ALPACA_DOCS_POSITION)]);
    expect(parsed[0]).toEqual(JSON.parse(ALPACA_DOCS_POSITION));
    expect(parsed[0]!.market_value).toBe('600.0');
    expect(parsed[0]!['asset_marginable']).toBeUndefined();
  });

  it('keeps fields it does not use as sent, whatever their type', () => {
    const odd = {
      ...JSON.parse(ALPACA_DOCS_POSITION),
      asset_id: null,
      exchange: 7,
      qty_available: 4,
      cost_basis: 500,
      unrealized_plpc: 0.2,
      lastday_price: null,
      change_today: 'n/a',
      asset_marginable: true,
    };
    const parsed = brokerPositionSchema.parse(odd);
    expect(parsed).toEqual(odd);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(odd);
  });

  it('stays strict for the fields its readers rely on', () => {
    const body = JSON.parse(ALPACA_DOCS_POSITION);
    for (const field of ['qty', 'avg_entry_price', 'current_price', 'market_value', 'unrealized_pl']) {
      expect(brokerPositionSchema.safeParse({ ...body, [field]: 120.5 }).success, field).toBe(false);
      expect(brokerPositionSchema.safeParse({ ...body, [field]: '1e3' }).success, field).toBe(false);
    }
    expect(brokerPositionSchema.safeParse({ ...body, symbol: '' }).success).toBe(false);
    expect(brokerPositionSchema.safeParse({ ...body, side: 1 }).success).toBe(false);
  });
});
