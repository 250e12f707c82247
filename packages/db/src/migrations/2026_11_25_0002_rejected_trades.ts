import { type Kysely, sql } from 'kysely';

/**
 * Invalid trade jobs, kept raw with the reason. `job_id` is unique so that a redelivered invalid job
 * (INSERT IGNORE) is stored once; the BullMQ job id is always known, hence NOT NULL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rejected_trades')
    .addColumn('id', sql`bigint unsigned`, (c) => c.autoIncrement().primaryKey())
    .addColumn('job_id', sql`varchar(255) character set utf8mb4 collate utf8mb4_bin`, (c) => c.notNull())
    .addColumn('payload', sql`longtext`, (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('received_at', sql`datetime(6)`, (c) => c.notNull().defaultTo(sql`current_timestamp(6)`))
    .addUniqueConstraint('rejected_trades_job_id_unique', ['job_id'])
    .modifyEnd(sql`engine = InnoDB default charset = utf8mb4 collate = utf8mb4_unicode_ci`)
    .execute();

  await db.schema
    .createIndex('rejected_trades_received_at_idx')
    .on('rejected_trades')
    .column('received_at')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rejected_trades').execute();
}
