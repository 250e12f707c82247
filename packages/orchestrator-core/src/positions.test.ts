import { formatDecimal } from '@friren/contracts';
import { describe, expect, it } from 'vitest';
import { parsePositions } from './positions.js';

describe('parsePositions', () => {
  it('keeps exact values, signs shorts and tolerates unknown fields', () => {
    const r = parsePositions(
      JSON.stringify([
        {
          symbol: 'AAPL',
          qty: '10',
          side: 'long',
          market_value: '1900.5',
          unrealized_pl: '12.25',
          exchange: 'NASDAQ',
        },
        { symbol: 'TSLA', qty: '5', side: 'short', market_value: '-1000', unrealized_pl: '-0.25' },
      ]),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(formatDecimal(r.positions.bySymbol.get('TSLA')!.qty)).toBe('-5');
    expect(formatDecimal(r.positions.bySymbol.get('TSLA')!.exposure!)).toBe('1000');
    expect(formatDecimal(r.positions.bySymbol.get('AAPL')!.exposure!)).toBe('1900.5');
    expect(formatDecimal(r.positions.unrealizedPl!)).toBe('12');
  });

  it('rejects what is not a position array, naming the field', () => {
    expect(parsePositions('not json')).toEqual({ ok: false, reason: 'positions: not JSON' });
    const r = parsePositions(JSON.stringify([{ symbol: 'AAPL', qty: 10 }]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('0.qty');
  });
});
