import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';
import { missingTables, waitForTables } from './wait-for-tables.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('waitForTables', () => {
  it('says what is missing, then runs onReady once the tables exist', async () => {
    const waiting: string[] = [];
    let ready = 0;
    const wait = waitForTables(database, {
      tables: ['wt_a', 'wt_b'],
      retryMs: 20,
      logEveryMs: 60_000,
      onWaiting: (detail) => waiting.push(detail),
      onReady: () => void ready++,
    });
    await until(() => wait.status().detail !== 'not checked yet');
    expect(wait.status()).toEqual({ ok: false, detail: 'missing tables wt_a, wt_b: run `pnpm migrate`' });
    await sql`CREATE TABLE wt_a (id INT)`.execute(database.db);
    expect(await missingTables(database.db, ['wt_a', 'wt_b'])).toEqual(['wt_b']);
    await sql`CREATE TABLE wt_b (id INT)`.execute(database.db);
    await until(() => wait.status().ok);
    expect(ready).toBe(1);
    // Said once: the second reason came within logEveryMs.
    expect(waiting).toEqual(['missing tables wt_a, wt_b: run `pnpm migrate`']);
    await wait.stop();
  });

  it('retries when onReady throws, and stop() ends the wait without running it', async () => {
    let attempts = 0;
    const wait = waitForTables(database, {
      tables: ['wt_a'],
      retryMs: 20,
      onWaiting: () => {},
      onReady: () => {
        attempts++;
        if (attempts < 3) throw new Error('scheduler not there');
      },
    });
    await until(() => wait.status().ok);
    expect(attempts).toBe(3);
    await wait.stop();

    let ran = false;
    const never = waitForTables(database, {
      tables: ['wt_never'],
      retryMs: 60_000,
      onWaiting: () => {},
      onReady: () => {
        ran = true;
      },
    });
    await until(() => never.status().detail !== 'not checked yet');
    const started = Date.now();
    await never.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ran).toBe(false);
    expect(never.status().ok).toBe(false);
  });
});
