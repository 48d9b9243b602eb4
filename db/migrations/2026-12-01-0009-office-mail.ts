// Frozen: never edit a migration that has landed; add a new one instead.
// The office's mail beyond one message per opinion (issue 16): the daily
// digest claimed once per Shanghai day, reminder and escalation stages claimed
// once per opinion, and what comes back — bounces, auto-replies and other
// inbound mail — recorded against the message that caused it.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per Shanghai day the digest ran, even when it had nothing to say:
  // the primary key is what makes "one digest a day" hold across processes.
  await db.schema
    .createTable('office_digests')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('new_count', 'integer', (c) => c.notNull())
    .addColumn('due_soon_count', 'integer', (c) => c.notNull())
    .addColumn('overdue_count', 'integer', (c) => c.notNull())
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // A reminder or escalation sent for an opinion; the key allows one per stage.
  await db.schema
    .createTable('opinion_mail_stages')
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id').onDelete('cascade'))
    .addColumn('stage', 'text', (c) => c.notNull().check(sql`stage in ('reminder_before','reminder_due','escalation')`))
    .addColumn('outbox_message_id', 'integer', (c) => c.notNull().references('outbox_messages.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('opinion_mail_stages_pk', ['opinion_id', 'stage'])
    .execute();
  await db.schema.createIndex('opinion_mail_stages_message').on('opinion_mail_stages').columns(['outbox_message_id']).execute();

  // A bounce or an auto-reply about one of our messages (when it could be matched).
  await db.schema
    .createTable('mail_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('outbox_message_id', 'integer', (c) => c.references('outbox_messages.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('bounce','auto_reply')`))
    .addColumn('bounce_type', 'text', (c) => c.check(sql`bounce_type in ('hard','soft')`))
    .addColumn('recipient', 'text')
    .addColumn('status_code', 'text')
    .addColumn('diagnostic', 'text')
    .addColumn('source_message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mail_events_message').on('mail_events').columns(['outbox_message_id']).execute();
  await db.schema.createIndex('mail_events_kind_created').on('mail_events').columns(['kind', 'created_at']).execute();
  // The same notification piped twice (an MTA retrying) is recorded once.
  await sql`create unique index mail_events_source on mail_events (source_message_id, kind, coalesce(recipient, ''))
    where source_message_id is not null`.execute(db);

  // Mail that is neither a bounce nor an auto-reply: kept for staff to read.
  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('message_id', 'text')
    .addColumn('from_address', 'text')
    .addColumn('to_address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index inbound_messages_message_id on inbound_messages (message_id) where message_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('inbound_messages').execute();
  await db.schema.dropTable('mail_events').execute();
  await db.schema.dropTable('opinion_mail_stages').execute();
  await db.schema.dropTable('office_digests').execute();
}
