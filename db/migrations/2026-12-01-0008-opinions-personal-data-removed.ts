// Frozen: never edit a migration that has landed; add a new one instead.
// An opinion whose personal data was removed (after the retention period, or
// at the person's request) keeps its text and statistics and says when and
// why its name and contact details went, so that the office can tell an
// anonymised opinion from one sent without a name.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').addColumn('personal_data_removed_at', 'text').execute();
  await db.schema
    .alterTable('opinions')
    .addColumn('personal_data_removed_reason', 'text', (c) =>
      c.check(sql`personal_data_removed_reason in ('retention','request')`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').dropColumn('personal_data_removed_reason').execute();
  await db.schema.alterTable('opinions').dropColumn('personal_data_removed_at').execute();
}
