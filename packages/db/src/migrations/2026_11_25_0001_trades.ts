import { type Kysely, sql } from 'kysely';

/**
 * The ledger. Identifier-like text is compared byte-exactly (`_bin`): trade ids are case-sensitive
 * idempotency keys, and two strategies that differ only in case or accents must stay two strategies.
 * `metadata` is declared JSON: native JSON on MySQL 8, LONGTEXT with a JSON_VALID check on MariaDB.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trades')
    .addColumn('id', sql`bigint unsigned`, (c) => c.autoIncrement().primaryKey())
    .addColumn('trade_id', sql`varchar(64) character set ascii collate ascii_bin`, (c) => c.notNull())
    .addColumn('account', sql`varchar(32) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('symbol', sql`varchar(21) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('side', sql`enum('buy','sell')`, (c) => c.notNull())
    .addColumn('quantity', 'decimal(38, 9)', (c) => c.notNull())
    .addColumn('price', 'decimal(38, 9)', (c) => c.notNull())
    .addColumn('fees', 'decimal(38, 9)', (c) => c.notNull().defaultTo(0))
    .addColumn('executed_at', sql`datetime(6)`, (c) => c.notNull())
    .addColumn('strategy_used', sql`varchar(64) character set utf8mb4 collate utf8mb4_bin`, (c) =>
      c.notNull(),
    )
    .addColumn('finbert_sentiment', 'double precision')
    .addColumn('confidence_score', 'double precision')
    .addColumn('order_id', sql`varchar(128) character set utf8mb4 collate utf8mb4_bin`)
    .addColumn('metadata', 'json')
    .addColumn('recorded_at', sql`datetime(6)`, (c) => c.notNull().defaultTo(sql`current_timestamp(6)`))
    .addUniqueConstraint('trades_trade_id_unique', ['trade_id'])
    .modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci`)
    .execute();

  await db.schema
    .createIndex('trades_account_executed_at_idx')
    .on('trades')
    .columns(['account', 'executed_at'])
    .execute();
  // The analytics cursor: "this account's (strategy's) trades after id N".
  await db.schema
    .createIndex('trades_account_strategy_id_idx')
    .on('trades')
    .columns(['account', 'strategy_used', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('trades').execute();
}
