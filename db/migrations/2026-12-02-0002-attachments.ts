// Frozen: never edit a migration that has landed; add a new one instead.
// Files that came with an opinion (a photo, a scanned letter). The bytes live
// in UPLOAD_DIR under their SHA-256; a row here is what makes a file belong to
// an opinion, so a file without a row is an orphan the sweep may delete.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('opinion_id', 'integer', (c) => c.notNull().references('opinions.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull().check(sql`type in ('image/jpeg','image/png','image/webp','application/pdf')`))
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('thumbnail_sha256', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('added_by_id', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addColumn('published_by_id', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('attachments_opinion').on('attachments').column('opinion_id').execute();
  await db.schema.createIndex('attachments_sha256').on('attachments').column('sha256').execute();
  await db.schema.createIndex('attachments_thumbnail').on('attachments').column('thumbnail_sha256').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('attachments').execute();
}
