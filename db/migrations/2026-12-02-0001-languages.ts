// Frozen: never edit a migration that has landed; add a new one instead.
// Three languages (issue 14): the language of the page an opinion was sent
// from (its citizen's mail goes in it), a staff member's preferred language,
// the language a notice was published in, and translations of a notice
// revision, checked to line up section by section and item by item.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('opinions')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('ja').check(sql`language in ('ja','zh-Hans','en')`))
    .execute();
  await db.schema.alterTable('users').addColumn('language', 'text', (c) => c.check(sql`language in ('ja','zh-Hans','en')`)).execute();
  await db.schema
    .alterTable('reports')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('ja').check(sql`language in ('ja','zh-Hans','en')`))
    .execute();
  // One translation per revision and language; its sections and items, by
  // number, are those of the revision (checked at import), so the text is kept whole.
  await db.schema
    .createTable('report_translations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('revision_id', 'integer', (c) => c.notNull().references('report_revisions.id').onDelete('cascade'))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('ja','zh-Hans','en')`))
    .addColumn('content_json', 'text', (c) => c.notNull())
    .addColumn('source_text', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_translations_revision_language', ['revision_id', 'language'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_translations').execute();
  await db.schema.alterTable('reports').dropColumn('language').execute();
  await db.schema.alterTable('users').dropColumn('language').execute();
  await db.schema.alterTable('opinions').dropColumn('language').execute();
}
