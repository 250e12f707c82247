import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from './migrate.js';
import { insertRejected, listRejected, MAX_JOB_ID_CHARS, MAX_REASON_CHARS } from './rejected-trades.js';
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

  it('keeps every rejection, a repeated job id included (a rejection is an event)', async () => {
    const a = { job_id: 'job-a', payload: '{"trade_id":1}', reason: 'trade_id: must be a string' };
    const b = { job_id: 'job-b', payload: 'not json at all ✗', reason: '(payload): must be a JSON object' };
    expect(await insertRejected(t.db, [a, b, a])).toBe(3);
    // The same job id again, e.g. after Redis lost its id counter and reused it for another job.
    const reused = { ...a, payload: '{"other":true}', reason: 'changed' };
    expect(await insertRejected(t.db, [reused])).toBe(1);
    const stored = await listRejected(t.db, { limit: 10 });
    expect(stored.map(({ job_id, payload, reason }) => ({ job_id, payload, reason }))).toEqual([
      a,
      b,
      a,
      reused,
    ]);
    expect(stored.every((r) => r.job_id_truncated === false)).toBe(true);
    expect(stored[0]?.received_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  });

  it('cuts a job id longer than its column and marks it cut; the rest of the batch lands as sent', async () => {
    const long = { job_id: `j${'x'.repeat(299)}`, payload: '{}', reason: 'trade_id: is required' };
    const next = { job_id: 'job-after-long', payload: '{}', reason: 'side: is required' };
    expect(await insertRejected(t.db, [long, next])).toBe(2);
    const rows = (await listRejected(t.db, { limit: 100 })).filter((r) => r.job_id.startsWith('j'));
    const cut = rows.find((r) => r.job_id.startsWith('jx'))!;
    expect(cut.job_id).toBe(long.job_id.slice(0, MAX_JOB_ID_CHARS));
    expect(cut.job_id_truncated).toBe(true);
    expect(cut.reason).toBe('trade_id: is required (job id cut from 300 characters)');
    expect(rows.find((r) => r.job_id === 'job-after-long')?.job_id_truncated).toBe(false);
  });

  it('a row the database refuses as received is stored escaped, alone; its batch neighbours as sent', async () => {
    // A column that cannot hold the payload's characters stands in for any value the database refuses.
    const isolated = await createTestDatabase();
    try {
      await migrateToLatest(isolated.db);
      await sql`ALTER TABLE rejected_trades MODIFY payload LONGTEXT CHARACTER SET latin1 NOT NULL`.execute(
        isolated.db,
      );
      const plain = { job_id: 'plain-1', payload: '{"a":1}', reason: 'x: bad' };
      const hard = { job_id: 'hard-1', payload: '{"strategy_used":"动量"}', reason: 'y: bad' };
      expect(await insertRejected(isolated.db, [plain, hard, { ...plain, job_id: 'plain-2' }])).toBe(3);
      const rows = await listRejected(isolated.db, { limit: 10 });
      expect(rows.map((r) => r.job_id)).toEqual(['plain-1', '"hard-1"', 'plain-2']);
      const stored = rows[1]!;
      expect(JSON.parse(stored.payload)).toBe(hard.payload);
      expect(stored.job_id_truncated).toBe(true);
      expect(stored.reason).toMatch(
        /^y: bad \(stored JSON-escaped: the database refused the row as received: /,
      );
      expect(rows[0]?.payload).toBe(plain.payload);
    } finally {
      await isolated.drop();
    }
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
