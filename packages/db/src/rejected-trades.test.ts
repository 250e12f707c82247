import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { insertRejected, listRejected, MAX_REASON_CHARS } from './rejected-trades.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await migrateToLatest(t.db);
});

afterAll(async () => {
  await t?.drop();
});

describe('insertRejected', () => {
  it('is a no-op for an empty batch', async () => {
    expect(await insertRejected(t.db, [])).toBe(0);
  });

  it('stores each job once, however often it is delivered', async () => {
    const a = { job_id: 'job-a', payload: '{"trade_id":1}', reason: 'trade_id: must be a string' };
    const b = { job_id: 'job-b', payload: 'not json at all ✗', reason: '(payload): must be a JSON object' };
    expect(await insertRejected(t.db, [a, b, a])).toBe(2);
    expect(await insertRejected(t.db, [{ ...a, reason: 'changed' }])).toBe(0);
    const stored = await listRejected(t.db, { limit: 10 });
    expect(stored.map(({ job_id, payload, reason }) => ({ job_id, payload, reason }))).toEqual([a, b]);
    expect(stored[0]?.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('keeps a huge raw payload whole and cuts an overlong reason', async () => {
    const payload = JSON.stringify({ metadata: 'x'.repeat(200_000), strategy_used: '动量' });
    expect(await insertRejected(t.db, [{ job_id: 'job-big', payload, reason: 'r'.repeat(100_000) }])).toBe(1);
    const [row] = (await listRejected(t.db, { limit: 100 })).filter((r) => r.job_id === 'job-big');
    expect(row?.payload).toBe(payload);
    expect(row?.reason).toHaveLength(MAX_REASON_CHARS);
  });
});

describe('listRejected', () => {
  it('pages by id', async () => {
    await insertRejected(
      t.db,
      ['p1', 'p2', 'p3'].map((job_id) => ({ job_id, payload: '{}', reason: 'x' })),
    );
    const all = await listRejected(t.db, { limit: 100 });
    const firstTwo = await listRejected(t.db, { limit: 2 });
    expect(firstTwo).toEqual(all.slice(0, 2));
    const after = await listRejected(t.db, { afterId: firstTwo[1]!.id, limit: 100 });
    expect(after).toEqual(all.slice(2));
    expect(after.length).toBeGreaterThan(0);
  });
});
