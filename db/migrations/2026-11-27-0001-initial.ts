// Frozen: never edit a migration that has landed; add a new one instead.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

export async function up(db: Kysely<any>): Promise<void> {
  // --- The published notices --------------------------------------------
  await db.schema
    .createTable('reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('view_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('report_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('revision_no', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('breadcrumb_json', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('source_office', 'text', (c) => c.notNull())
    .addColumn('intro_json', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('next_steps_json', 'text', (c) => c.notNull())
    .addColumn('closing', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('issued_on', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_revisions_report_no', ['report_id', 'revision_no'])
    .execute();

  await db.schema
    .createTable('sections')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('report_revisions.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addUniqueConstraint('sections_revision_number', ['revision_id', 'number'])
    .execute();

  await db.schema
    .createTable('items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addUniqueConstraint('items_section_number', ['section_id', 'number'])
    .execute();

  // --- People and units ---------------------------------------------------
  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('staff','moderator','admin')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('client_hash', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_attempts_email').on('login_attempts').columns(['email', 'created_at']).execute();
  await db.schema.createIndex('login_attempts_client').on('login_attempts').columns(['client_hash', 'created_at']).execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text')
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // --- Opinions -------------------------------------------------------------
  await db.schema
    .createTable('opinions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('tracking_number', 'text', (c) => c.notNull().unique())
    .addColumn('receipt_token', 'text', (c) => c.notNull().unique())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('section_number', 'integer', (c) => c.notNull())
    .addColumn('item_number', 'integer')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('reply_wanted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_ok', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(sql`channel in ('web','phone','post','visit','api')`),
    )
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('new')
        .check(sql`status in ('new','triaged','in_progress','answered','closed','out_of_scope','duplicate')`),
    )
    .addColumn('duplicate_of_id', 'integer', (c) => c.references('opinions.id'))
    .addColumn('unit_id', 'integer', (c) => c.references('units.id'))
    .addColumn('assignee_id', 'integer', (c) => c.references('users.id'))
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('client_hash', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('form_token', 'text')
    .addColumn('recorded_by_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('opinions_received').on('opinions').columns(['received_at', 'id']).execute();
  await db.schema
    .createIndex('opinions_section')
    .on('opinions')
    .columns(['report_id', 'section_number', 'item_number'])
    .execute();
  await db.schema.createIndex('opinions_status').on('opinions').columns(['status', 'received_at']).execute();
  await db.schema.createIndex('opinions_due').on('opinions').columns(['due_at']).execute();
  await db.schema.createIndex('opinions_client').on('opinions').columns(['client_hash', 'created_at']).execute();
  await sql`create unique index opinions_form_token on opinions(form_token) where form_token is not null`.execute(db);

  if (isPostgres(db)) {
    // PostgreSQL: pg_trgm GIN indexes serve ILIKE searches of 3+ characters.
    await sql`create extension if not exists pg_trgm`.execute(db);
    for (const column of ['body', 'name', 'tracking_number']) {
      await sql`create index ${sql.id(`opinions_${column}_trgm`)} on opinions using gin (${sql.ref(column)} gin_trgm_ops)`.execute(db);
    }
  } else {
    await createFullTextSearch(db);
  }

  await db.schema
    .createTable('opinion_notes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id'))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('opinion_notes_opinion').on('opinion_notes').columns(['opinion_id']).execute();

  // --- Official replies -----------------------------------------------------
  await db.schema
    .createTable('official_replies')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('opinion_id', 'integer', (c) => c.notNull().unique().references('opinions.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('show_opinion', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('redacted_opinion', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('draft','published','unpublished')`),
    )
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('unpublished_reason', 'text')
    .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('official_replies_status').on('official_replies').columns(['status', 'published_at']).execute();

  await db.schema
    .createTable('official_reply_revisions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('reply_id', 'integer', (c) => c.notNull().references('official_replies.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('show_opinion', 'integer', (c) => c.notNull())
    .addColumn('redacted_opinion', 'text')
    .addColumn('created_by_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reply_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // --- Mail and audit -------------------------------------------------------
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('opinion_id', 'integer', (c) => c.references('opinions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending','sent','failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_opinion').on('outbox_messages').columns(['opinion_id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();
  await db.schema.createIndex('audit_created').on('audit_log').columns(['created_at']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

// SQLite: Japanese full-text search, trigram serving queries of 3+ characters.
async function createFullTextSearch(db: Kysely<any>): Promise<void> {
  await sql`create virtual table opinions_fts using fts5(
    body, name, tracking_number,
    content='opinions', content_rowid='id', tokenize='trigram'
  )`.execute(db);
  await sql`create trigger opinions_fts_ai after insert on opinions begin
    insert into opinions_fts(rowid, body, name, tracking_number)
    values (new.id, new.body, coalesce(new.name, ''), new.tracking_number);
  end`.execute(db);
  await sql`create trigger opinions_fts_ad after delete on opinions begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    values ('delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number);
  end`.execute(db);
  await sql`create trigger opinions_fts_au after update of body, name, tracking_number on opinions begin
    insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number)
    values ('delete', old.id, old.body, coalesce(old.name, ''), old.tracking_number);
    insert into opinions_fts(rowid, body, name, tracking_number)
    values (new.id, new.body, coalesce(new.name, ''), new.tracking_number);
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'settings',
    'audit_log',
    'outbox_messages',
    'reply_templates',
    'official_reply_revisions',
    'official_replies',
    'opinion_notes',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  if (!isPostgres(db)) await sql`drop table opinions_fts`.execute(db);
  for (const table of ['opinions', 'units', 'login_attempts', 'sessions', 'users', 'items', 'sections', 'report_revisions', 'reports']) {
    await db.schema.dropTable(table).execute();
  }
}
