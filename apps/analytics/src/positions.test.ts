import { describe, expect, it } from 'vitest';
import { parsePositionPrices, pricesForSymbols } from './positions.js';

describe('position prices', () => {
  it('takes current_price by symbol and matches slash-less crypto symbols', () => {
    const json = JSON.stringify([
      { symbol: 'AAPL', qty: '10', current_price: '187.25', market_value: '1872.5' },
      { symbol: 'BTCUSD', qty: '0.5', current_price: 64000.123 },
      { symbol: 'SHIB', qty: '1', current_price: '0.0000123456789' },
      { symbol: 'NOPRICE', qty: '1' },
    ]);
    const prices = parsePositionPrices(json);
    expect(Object.fromEntries(prices)).toEqual({ AAPL: '187.25', BTCUSD: '64000.123', SHIB: '0.000012345' });
    expect(Object.fromEntries(pricesForSymbols(prices, ['AAPL', 'BTC/USD', 'NOPRICE']))).toEqual({
      AAPL: '187.25',
      'BTC/USD': '64000.123',
    });
  });

  it('refuses what is not an array of positions', () => {
    expect(() => parsePositionPrices('{"symbol":"AAPL"}')).toThrow();
    expect(() => parsePositionPrices('[{"current_price":"1"}]')).toThrow();
  });
});
