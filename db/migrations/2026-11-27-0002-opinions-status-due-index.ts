// Frozen: never edit a migration that has landed; add a new one instead.
// "Overdue" (open status and due_at in the past) is counted on every inbox
// and dashboard view; with (status, due_at) it is an index-only range count
// per open status instead of a lookup of every open opinion.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('opinions_status_due').on('opinions').columns(['status', 'due_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('opinions_status_due').execute();
}
