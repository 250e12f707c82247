import { describe, expect, it } from 'vitest';
import { renderPairs, renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns, numbers to the right', () => {
    const out = renderTable(
      [{ header: 'strategy' }, { header: 'P&L', align: 'right' }],
      [
        ['momentum', '+1,234.50'],
        ['news-sentiment', '-3.10'],
      ],
    );
    expect(out.split('\n')).toEqual([
      'strategy              P&L',
      '──────────────  ─────────',
      'momentum        +1,234.50',
      'news-sentiment      -3.10',
    ]);
  });
  it('pads labels of pairs to one width', () => {
    expect(
      renderPairs([
        ['a', '1'],
        ['long label', '2'],
      ]),
    ).toBe('a           1\nlong label  2');
  });
});
