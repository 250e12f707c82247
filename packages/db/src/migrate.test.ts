import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDatabase } from './ensure-database.js';
import { migrateToLatest } from './migrate.js';
import { migrateDatabase } from './migrate-database.js';
import { migrations } from './migrations/index.js';
import {
  createTestDatabase,
  dropDatabase,
  type TestDatabase,
  testDatabaseUrl,
} from './testing/test-database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.drop();
});

async function showCreateTable(table: string): Promise<string> {
  const { rows } = await sql<Record<string, string>>`SHOW CREATE TABLE ${sql.table(table)}`.execute(t.db);
  return rows[0]?.['Create Table'] ?? '';
}

describe('migrateToLatest', () => {
  it('applies every migration to an empty database, in name order', async () => {
    const { applied } = await migrateToLatest(t.db);
    expect(applied).toEqual(Object.keys(migrations).sort());
    expect(applied).toEqual([
      '2026_11_25_0001_trades',
      '2026_11_25_0002_rejected_trades',
      '2026_11_25_0003_analytics',
      '2026_12_04_0004_ledger_keys',
      '2026_12_04_0005_marks_daily',
    ]);
  });

  it('applies nothing the second time', async () => {
    expect(await migrateToLatest(t.db)).toEqual({ applied: [] });
  });

  it('creates trades with exact decimals, microsecond UTC times, utf8mb4 and a case-sensitive (account, trade_id) key', async () => {
    const ddl = await showCreateTable('trades');
    expect(ddl).toMatch(/`quantity` decimal\(38,9\) NOT NULL/);
    expect(ddl).toMatch(/`price` decimal\(38,9\) NOT NULL/);
    expect(ddl).toMatch(/`fees` decimal\(38,9\) NOT NULL DEFAULT 0/);
    expect(ddl).toMatch(/`executed_at` datetime\(6\) NOT NULL/);
    expect(ddl).toMatch(/`recorded_at` datetime\(6\) NOT NULL DEFAULT current_timestamp\(6\)/i);
    expect(ddl).toMatch(/`trade_id` varchar\(64\) CHARACTER SET ascii COLLATE ascii_bin NOT NULL/);
    expect(ddl).toMatch(/UNIQUE KEY `trades_account_trade_id_unique` \(`account`,`trade_id`\)/);
    expect(ddl).not.toMatch(/UNIQUE KEY `trades_trade_id_unique`/);
    expect(ddl).toMatch(/KEY `trades_account_id_idx` \(`account`,`id`\)/);
    expect(ddl).toMatch(/KEY `trades_account_executed_at_idx` \(`account`,`executed_at`\)/);
    expect(ddl).toMatch(/KEY `trades_account_strategy_id_idx` \(`account`,`strategy_used`,`id`\)/);
    expect(ddl).toMatch(/`side` enum\('buy','sell'\)/);
    expect(ddl).toMatch(/ENGINE=InnoDB/);
    expect(ddl).toMatch(/CHARSET=utf8mb4/);
  });

  it('creates rejected_trades with an indexed (not unique) job_id, its cut flag and a received_at index', async () => {
    const ddl = await showCreateTable('rejected_trades');
    expect(ddl).toMatch(/`job_id` varchar\(255\)[^,]* NOT NULL/);
    expect(ddl).toMatch(/`payload` longtext[^,]* NOT NULL/);
    expect(ddl).toMatch(/`received_at` datetime\(6\) NOT NULL DEFAULT current_timestamp\(6\)/i);
    expect(ddl).not.toMatch(/UNIQUE KEY/);
    expect(ddl).toMatch(/KEY `rejected_trades_job_id_idx` \(`job_id`\)/);
    expect(ddl).toMatch(/`job_id_truncated` tinyint\(1\) NOT NULL DEFAULT 0/);
    expect(ddl).toMatch(/KEY `rejected_trades_received_at_idx` \(`received_at`\)/);
    expect(ddl).toMatch(/CHARSET=utf8mb4/);
  });
});

describe('ensureDatabase and migrateDatabase', () => {
  it('creates a missing database once, with utf8mb4, and migrates it', async () => {
    const { name, url } = testDatabaseUrl();
    try {
      expect(await ensureDatabase(url)).toEqual({ created: true });
      expect(await ensureDatabase(url)).toEqual({ created: false });
      const { rows } = await sql<{ cs: string }>`
        SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${name}
      `.execute(t.db);
      expect(rows).toEqual([{ cs: 'utf8mb4' }]);
      const first = await migrateDatabase(url);
      expect(first).toEqual({ created: false, applied: Object.keys(migrations) });
      expect(await migrateDatabase(url)).toEqual({ created: false, applied: [] });
    } finally {
      await dropDatabase(url, name);
    }
  });

  it('quotes a database name holding a backtick and a dot as one name', async () => {
    const { name } = testDatabaseUrl();
    const hostile = `${name}_a\`b.c`;
    const url = `mysql://root@127.0.0.1:3306/${encodeURIComponent(hostile)}`;
    try {
      expect(await ensureDatabase(url)).toEqual({ created: true });
      const { rows } = await sql<{ n: string }>`
        SELECT SCHEMA_NAME AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${hostile}
      `.execute(t.db);
      expect(rows).toHaveLength(1);
    } finally {
      await dropDatabase(url, hostile);
    }
  });
});

describe('migrate as a user without global privileges', () => {
  /** A throw-away MariaDB user holding `grants` on the database `db` only. */
  async function withUser<T>(
    db: string,
    grants: string,
    run: (url: (database: string) => string) => Promise<T>,
  ): Promise<T> {
    const user = `friren_t_${Math.random().toString(16).slice(2, 10)}`;
    const password = `pw-${Math.random().toString(16).slice(2)}`;
    await sql`CREATE USER ${sql.lit(user)}@'%' IDENTIFIED BY ${sql.lit(password)}`.execute(t.db);
    await sql.raw(`GRANT ${grants} ON \`${db}\`.* TO '${user}'@'%'`).execute(t.db);
    try {
      return await run((database) => `mysql://${user}:${password}@127.0.0.1:3306/${database}`);
    } finally {
      await sql`DROP USER ${sql.lit(user)}@'%'`.execute(t.db);
    }
  }
  const APP_GRANTS = 'SELECT, INSERT, UPDATE, DELETE, ALTER, INDEX';

  it('a current schema needs no CREATE: nothing to create, nothing applied', async () => {
    // t was migrated above; this user may not create databases (or tables).
    await withUser(t.name, APP_GRANTS, async (url) => {
      expect(await migrateDatabase(url(t.name))).toEqual({ created: false, applied: [] });
    });
  });

  it('a missing database the user may not create: the error names the CREATE privilege', async () => {
    const { name } = testDatabaseUrl();
    await withUser(name, APP_GRANTS, async (url) => {
      const error = await migrateDatabase(url(name)).catch((e: unknown) => e);
      expect(String(error)).toMatch(/does not exist .* lacks the CREATE privilege/);
      expect(String(error)).not.toContain('pw-');
    });
  });

  it('a pending migration the user may not apply: the error names the missing privilege', async () => {
    const { name, url: rootUrl } = testDatabaseUrl();
    try {
      await ensureDatabase(rootUrl);
      await withUser(name, 'SELECT, INSERT, UPDATE, DELETE', async (url) => {
        const error = await migrateDatabase(url(name)).catch((e: unknown) => e);
        expect(String(error)).toMatch(/missing privilege CREATE: CREATE command denied/);
      });
    } finally {
      await dropDatabase(rootUrl, name);
    }
  });
});
