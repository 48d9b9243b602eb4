// The outbox: mail is written in the same transaction as what caused it and
// delivered later by a worker (one per app process, each message claimed by
// exactly one of them), so a slow or broken mail server never loses
// an opinion or slows a request. This file queues and counts messages;
// ./outbox-delivery.server claims and sends them, ./outbox-worker.server polls.
import { sql, type Insertable } from 'kysely';
import type { OutboxMessagesTable } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { preparedQuery } from '~/server/prepared-query.server';
import { randomBytes } from '~/utils/random-bytes.server';
import { getEnv } from '~/utils/env.server';
import { mailboxKey } from './ack-limit.server';

export type NewOutboxMessageInput = {
  opinionId: number | null;
  /** e.g. 'office_notification', 'citizen_ack', 'unit_notification' */
  kind: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
};

export const MINUTE = 60_000;
const SCHEDULE_MS = [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE, 720 * MINUTE];

/** How long to wait after the `attempt`-th failed attempt (1-based): 1 min, 5 min, 30 min, 2 h, then 12 h. */
export function backoffDelayMs(attempt: number): number {
  if (attempt < 1) return 0;
  return SCHEDULE_MS[Math.min(attempt, SCHEDULE_MS.length) - 1];
}

/**
 * A version 7 UUID (RFC 9562): the time in milliseconds (48 bits), then 74
 * random bits. Message-IDs are unique in outbox_messages, and ids that grow
 * with time are added at the end of that index; random ones (version 4) each
 * landed on a leaf page of their own, ~10 % of the pages a batch of opinions
 * wrote at its COMMIT. Still a UUID, so VERP tokens (verp.server.ts) take it.
 */
export function timeOrderedUuid(now = Date.now()): string {
  // From the pool (random-bytes.server.ts): crypto.randomBytes(16) for each id was ~2 % of an opinion thread.
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let messageIdHost: string | undefined;
export function newMessageId(): string {
  messageIdHost ??= new URL(getEnv().PUBLIC_URL).hostname || 'localhost';
  return `<${timeOrderedUuid()}@${messageIdHost}>`;
}

/**
 * Whether a message of this kind is sent at all under OFFICE_MAIL_MODE: with
 * `digest` the office reads new opinions in the daily digest
 * (./digest.server) instead of one message each. Decided here, where every
 * message is queued, so that no way of creating an opinion can miss it.
 */
export function isSentUnderOfficeMailMode(kind: string, mode = getEnv().OFFICE_MAIL_MODE): boolean {
  return !(kind === 'office_notification' && mode === 'digest');
}

/**
 * Queues a message; call it inside the transaction that made the reason for
 * it. Returns the outbox id, or null when the office mail mode leaves this
 * kind of message out.
 */
export async function enqueueMessage(trx: DB, input: NewOutboxMessageInput): Promise<number | null> {
  if (!isSentUnderOfficeMailMode(input.kind)) return null;
  const now = new Date().toISOString();
  const { rows } = await insertMessage(trx, {
    opinion_id: input.opinionId,
    kind: input.kind,
    recipient: input.recipient,
    subject: input.subject,
    text_body: input.text,
    html_body: input.html,
    message_id: newMessageId(),
    next_attempt_at: now,
    created_at: now,
    mailbox_key: input.kind === 'citizen_ack' ? mailboxKey(input.recipient) : null,
  });
  return rows[0].id;
}

type NewMessageRow = Required<Pick<Insertable<OutboxMessagesTable>, 'opinion_id' | 'kind' | 'recipient' | 'subject' | 'text_body' | 'html_body' | 'message_id' | 'next_attempt_at' | 'created_at' | 'mailbox_key'>>;
// Two for every opinion (office and citizen): built once (prepared-query.server.ts).
const insertMessage = preparedQuery((db, row: NewMessageRow) => db.insertInto('outbox_messages').values(row).returning('id'));

export async function countOutbox(db: DB): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const counts = { pending: 0, failed: 0 };
  for (const r of rows) counts[r.status as 'pending' | 'failed'] = Number(r.n);
  return counts;
}
