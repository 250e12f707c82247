import { describe, expect, it } from 'vitest';
import {
  DATABASE_FIELD,
  JOB_NAME_FIELD,
  MAX_STORED_PAYLOAD_CHARS,
  reasonLabel,
  serializePayload,
} from './rejection.js';

describe('rejections', () => {
  it('stores the payload as JSON text, whatever its shape', () => {
    expect(serializePayload({ a: 1 })).toEqual({ payload: '{"a":1}' });
    expect(serializePayload('text')).toEqual({ payload: '"text"' });
    expect(serializePayload(null)).toEqual({ payload: 'null' });
    expect(serializePayload(undefined)).toEqual({ payload: 'undefined' });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(serializePayload(cyclic).payload).toMatch(/^unserializable payload: /);
  });

  it('keeps the head of a payload too large for one row and says how large it was', () => {
    const big = { blob: 'x'.repeat(MAX_STORED_PAYLOAD_CHARS) };
    const r = serializePayload(big);
    expect(r.payload).toHaveLength(MAX_STORED_PAYLOAD_CHARS);
    expect(r.truncatedFrom).toBe(JSON.stringify(big).length);
  });

  it('labels reasons from a small fixed set', () => {
    expect(reasonLabel([{ field: 'quantity', message: 'must be > 0' }])).toBe('quantity');
    expect(reasonLabel([{ field: 'metadata.deep.key', message: 'x' }])).toBe('metadata');
    expect(reasonLabel([{ field: 'whatever_a_producer_sent', message: 'unknown field' }])).toBe(
      'unknown_field',
    );
    expect(reasonLabel([{ field: '(payload)', message: 'must be a JSON object' }])).toBe('payload');
    expect(reasonLabel([{ field: JOB_NAME_FIELD, message: 'x' }])).toBe('job_name');
    expect(reasonLabel([{ field: DATABASE_FIELD, message: 'x' }])).toBe('database');
    expect(reasonLabel([])).toBe('payload');
  });
});
