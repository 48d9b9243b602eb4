// Frozen: never edit a migration that has landed; add a new one instead.
// The acknowledgement email is capped per recipient address (anyone can type
// anyone's address): an opinion whose acknowledgement was not sent says why,
// and the count of recent acknowledgements to an address is read from the
// outbox by kind and time.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('opinions').addColumn('ack_withheld', 'text').execute();
  await db.schema.createIndex('outbox_kind_created').on('outbox_messages').columns(['kind', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_kind_created').execute();
  await db.schema.alterTable('opinions').dropColumn('ack_withheld').execute();
}
