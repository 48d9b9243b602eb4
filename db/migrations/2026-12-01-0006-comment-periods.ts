// Frozen: never edit a migration that has landed; add a new one instead.
// Notices published from the console: a notice can be a draft (not public),
// has an optional comment period (opens_at/closes_at, UTC ISO; null = no
// bound) with the office's hours for the closed-period message, and every
// change of its period is kept with a reason (shown publicly as 延長/早期終了).
// An opinion recorded by staff outside the period is marked, not refused.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').addColumn('draft', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('reports').addColumn('opens_at', 'text').execute();
  await db.schema.alterTable('reports').addColumn('closes_at', 'text').execute();
  await db.schema.alterTable('reports').addColumn('office_hours', 'text').execute();

  await db.schema
    .createTable('comment_period_changes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('set','extend','close_early')`))
    .addColumn('opens_at', 'text')
    .addColumn('closes_at', 'text')
    .addColumn('previous_closes_at', 'text')
    .addColumn('reason', 'text')
    .addColumn('actor_id', 'integer', (c) => c.references('users.id'))
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comment_period_changes_report').on('comment_period_changes').columns(['report_id', 'id']).execute();

  await db.schema.alterTable('opinions').addColumn('outside_period', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').dropColumn('outside_period').execute();
  await db.schema.dropTable('comment_period_changes').execute();
  for (const column of ['office_hours', 'closes_at', 'opens_at', 'draft']) {
    await db.schema.alterTable('reports').dropColumn(column).execute();
  }
}
