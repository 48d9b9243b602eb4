// Frozen: never edit a migration that has landed; add a new one instead.
// What several app processes on one database must share (issue #12):
// - outbox_messages.claimed_by / claimed_until: the worker that claimed a
//   message and how long its claim holds, so that another process's worker
//   neither takes it while it is being sent nor undoes its outcome;
// - rate_limits: per-client counters (opinions, /track, the API) that every
//   process counts in, one row per key and window, swept by housekeeping;
// - counters: named numbers bumped by writes, read by every process; the
//   report page's content version ('report_content') is the first.
// Both engines run the same statements.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('outbox_messages').addColumn('claimed_until', 'text').execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('resets_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_resets_at').on('rate_limits').column('resets_at').execute();

  await db.schema
    .createTable('counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`insert into counters (name, value) values ('report_content', 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('counters').execute();
  await db.schema.dropTable('rate_limits').execute();
  await db.schema.alterTable('outbox_messages').dropColumn('claimed_until').execute();
  await db.schema.alterTable('outbox_messages').dropColumn('claimed_by').execute();
}
