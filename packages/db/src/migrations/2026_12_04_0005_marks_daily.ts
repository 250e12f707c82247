import { type Kysely, sql } from 'kysely';

/**
 * `marks_daily`: per account × symbol × New York day, the last broker position price the analytics
 * worker saw that day (`current_price` of `P:account:A:positions`), written on every recompute. A
 * strategy's daily P&L values its open positions at these marks (documented in
 * apps/analytics/README.md); where there is none it uses the last fill price and says so.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('marks_daily')
    .addColumn('account', sql`varchar(32) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('symbol', sql`varchar(21) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('price', sql`decimal(38, 9)`, (c) => c.notNull())
    .addColumn('updated_at', sql`datetime(6)`, (c) => c.notNull())
    .addPrimaryKeyConstraint('marks_daily_pk', ['account', 'symbol', 'date'])
    .modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci`)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('marks_daily').execute();
}
