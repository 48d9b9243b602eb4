// Mail sent to us that is neither a bounce nor an auto-reply (a citizen
// answering the acknowledgement, say): kept for staff to read. The staff page
// (/staff/inbound) lists these beside the auto-replies recorded in mail_events.
import { sql } from 'kysely';
import type { DB } from '~/server/db.server';
import { INBOUND_PAGE_SIZE, type InboundKind } from '~/schemas/inbound-filters';

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
    .values({
      message_id: input.messageId,
      from_address: input.from,
      to_address: input.to,
      subject: input.subject.slice(0, 1000),
      text_body: input.text.slice(0, INBOUND_TEXT_LIMIT),
      sent_at: input.sentAt,
      received_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
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

/** What the received-mail page shows of one message, whichever table it is in. */
export type ReceivedMailView = {
  kind: InboundKind;
  id: number;
  /** The From of a kept message (name and address); the sender of an auto-reply. */
  sender: string | null;
  subject: string;
  /** The text of a kept message, its first INBOUND_TEXT_SHOWN characters (an auto-reply's is not kept). */
  text: string | null;
  /** The text goes on beyond what is shown. */
  textCut: boolean;
  receivedAt: string;
  /** The opinion the auto-replied message was about, when it was one. */
  opinion: { id: number; trackingNumber: string } | null;
};

export type ReceivedMailPage = { rows: ReceivedMailView[]; total: number; page: number; pageCount: number; first: number; last: number };

/** Characters of a kept message's text the list shows (a page of 50 stays small). */
export const INBOUND_TEXT_SHOWN = 4000;

/** One row per message nobody matched, and per auto-reply, in the same columns. */
function receivedMail(db: DB, kind: InboundKind | undefined) {
  const kept = db
    .selectFrom('inbound_messages as i')
    .select([
      sql<InboundKind>`'message'`.as('kind'),
      'i.id',
      'i.from_address as sender',
      'i.subject',
      sql<string | null>`substr(i.text_body, 1, ${INBOUND_TEXT_SHOWN + 1})`.as('text'),
      'i.received_at',
      sql<number | null>`null`.as('opinion_id'),
      sql<string | null>`null`.as('tracking_number'),
    ]);
  const autoReplies = db
    .selectFrom('mail_events as e')
    .leftJoin('outbox_messages as m', 'm.id', 'e.outbox_message_id')
    .leftJoin('opinions as o', 'o.id', 'm.opinion_id')
    .where('e.kind', '=', 'auto_reply')
    .select([
      sql<InboundKind>`'auto_reply'`.as('kind'),
      'e.id',
      'e.recipient as sender',
      // The inbound handler keeps an auto-reply's subject as its diagnostic.
      sql<string>`coalesce(e.diagnostic, '')`.as('subject'),
      sql<string | null>`null`.as('text'),
      'e.created_at as received_at',
      sql<number | null>`o.id`.as('opinion_id'),
      sql<string | null>`o.tracking_number`.as('tracking_number'),
    ]);
  if (kind === 'message') return db.selectFrom(kept.as('x'));
  if (kind === 'auto_reply') return db.selectFrom(autoReplies.as('x'));
  return db.selectFrom(kept.unionAll(autoReplies).as('x'));
}

/** One page of received mail (newest first), of one kind or both. */
export async function listReceivedMail(db: DB, filters: { kind?: InboundKind; page?: number }): Promise<ReceivedMailPage> {
  const { n } = await receivedMail(db, filters.kind).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / INBOUND_PAGE_SIZE));
  const page = Math.min(Math.max(1, Math.floor(filters.page ?? 1)), pageCount);
  const rows = await receivedMail(db, filters.kind)
    .selectAll()
    .orderBy('received_at', 'desc')
    .orderBy('kind')
    .orderBy('id', 'desc')
    .limit(INBOUND_PAGE_SIZE)
    .offset((page - 1) * INBOUND_PAGE_SIZE)
    .execute();
  const first = rows.length === 0 ? 0 : (page - 1) * INBOUND_PAGE_SIZE + 1;
  return {
    rows: rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      sender: r.sender,
      subject: r.subject,
      text: r.text === null ? null : [...r.text].slice(0, INBOUND_TEXT_SHOWN).join(''),
      textCut: r.text !== null && [...r.text].length > INBOUND_TEXT_SHOWN,
      receivedAt: r.received_at,
      opinion: r.opinion_id !== null && r.tracking_number !== null ? { id: r.opinion_id, trackingNumber: r.tracking_number } : null,
    })),
    total,
    page,
    pageCount,
    first,
    last: first + rows.length - 1,
  };
}
