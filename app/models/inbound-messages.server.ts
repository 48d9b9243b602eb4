// Mail sent to us that is neither a bounce nor an auto-reply (a citizen
// answering the acknowledgement, say): kept for staff to read.
import { sql } from 'kysely';
import type { DB } from '~/server/db.server';

export type NewInboundMessage = {
  messageId: string | null;
  from: string | null;
  to: string | null;
  subject: string;
  text: string;
  sentAt: string | null;
};

/** The text kept of one message: enough to read and answer it, never an unbounded body. */
export const INBOUND_TEXT_LIMIT = 100_000;

/** Keeps one message; false when the same Message-ID was kept before. */
export async function saveInboundMessage(db: DB, input: NewInboundMessage, now = new Date()): Promise<boolean> {
  const result = await db
    .insertInto('inbound_messages')
    .orIgnore()
    .values({
      message_id: input.messageId,
      from_address: input.from,
      to_address: input.to,
      subject: input.subject.slice(0, 1000),
      text_body: input.text.slice(0, INBOUND_TEXT_LIMIT),
      sent_at: input.sentAt,
      received_at: now.toISOString(),
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export type InboundMessageView = { id: number; from: string | null; to: string | null; subject: string; text: string; sentAt: string | null; receivedAt: string };

/** Newest first. */
export async function listInboundMessages(db: DB, limit = 50): Promise<InboundMessageView[]> {
  const rows = await db.selectFrom('inbound_messages').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, from: r.from_address, to: r.to_address, subject: r.subject, text: r.text_body, sentAt: r.sent_at, receivedAt: r.received_at }));
}

export async function countInboundMessages(db: DB): Promise<number> {
  const row = await db.selectFrom('inbound_messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
