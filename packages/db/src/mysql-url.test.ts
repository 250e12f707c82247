import { describe, expect, it } from 'vitest';
import { databaseFromUrl, describeMysqlUrl, mysqlUrlSchema, serverUrl } from './mysql-url.js';

describe('mysqlUrlSchema', () => {
  it('accepts mysql URLs that name a database', () => {
    expect(mysqlUrlSchema.safeParse('mysql://root@127.0.0.1:3306/friren').success).toBe(true);
    expect(mysqlUrlSchema.safeParse('mysql://u:p%40ss@db.internal/ledger?connectTimeout=5000').success).toBe(
      true,
    );
  });

  it('refuses other schemes, a missing database and junk, without echoing the input', () => {
    for (const bad of [
      'postgres://root@h/db',
      'mysql://root@127.0.0.1:3306/',
      'mysql://root:s3cret@h',
      'nope',
    ]) {
      const r = mysqlUrlSchema.safeParse(bad);
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues)).not.toContain('s3cret');
    }
  });
});

describe('URL helpers', () => {
  const url = 'mysql://root:s3cret@db.internal:3307/my%20db?ssl=true';

  it('describes the target without credentials', () => {
    expect(describeMysqlUrl(url)).toEqual({ host: 'db.internal', port: 3307, database: 'my db' });
    expect(describeMysqlUrl('mysql://root@h/x').port).toBe(3306);
  });

  it('decodes the database name and can strip it', () => {
    expect(databaseFromUrl(url)).toBe('my db');
    expect(serverUrl(url)).toBe('mysql://root:s3cret@db.internal:3307/?ssl=true');
  });
});
