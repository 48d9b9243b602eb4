// Frozen: never edit a migration that has landed; add a new one instead.
// The acknowledgement cap (at most ACK_LIMIT_PER_ADDRESS a day to one mailbox)
// counted every acknowledgement queued to the address's domain in 24 hours and
// compared mailboxes in JavaScript: a consultation where thousands write from
// one mail provider read thousands of rows per opinion. Each acknowledgement
// now carries its mailbox key (case folded, "+tag" dropped), indexed with its
// time, so the count reads that mailbox's rows alone. Rows of the last day are
// given their key here; older ones never count again. Both engines run the
// same statements.
import { sql, type Kysely } from 'kysely';

/** The key as app/mail/ack-limit.server.ts makes it, as of this migration. */
function mailboxKey(email: string): string {
  const at = email.indexOf('@');
  return `${email.slice(0, at).toLowerCase().split('+')[0]}@${email.slice(at + 1).toLowerCase()}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox_messages').addColumn('mailbox_key', 'text').execute();
  await db.schema.createIndex('outbox_mailbox_key').on('outbox_messages').columns(['mailbox_key', 'created_at']).execute();
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['id', 'recipient'])
    .where('kind', '=', 'citizen_ack')
    .where('created_at', '>=', since)
    .execute();
  for (const row of rows as Array<{ id: number; recipient: string }>) {
    await sql`update outbox_messages set mailbox_key = ${mailboxKey(row.recipient)} where id = ${row.id}`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('outbox_mailbox_key').execute();
  await db.schema.alterTable('outbox_messages').dropColumn('mailbox_key').execute();
}
