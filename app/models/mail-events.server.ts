// What came back about the mail we sent: bounces and auto-replies, matched to
// the outbox message they are about, and the views staff need of them (the
// opinion's mail table, the banner for a broken office or unit address, the
// health count).
import { sql } from 'kysely';
import type { BounceType, MailEventKind, OutboxStatus } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import type { MessageBounce } from '~/domain/mail-bounces';


export type MatchedOutboxMessage = { id: number; kind: string; recipient: string; opinionId: number | null };

/** The outbox message a VERP token (./verp.server) or a Message-ID names, if it is ours. */
export async function findOutboxMessage(db: DB, by: { token?: string | null; messageId?: string | null }): Promise<MatchedOutboxMessage | null> {
  let query = db.selectFrom('outbox_messages').select(['id', 'kind', 'recipient', 'opinion_id']);
  if (by.token) query = query.where('message_id', 'like', `<${by.token}@%`);
  else if (by.messageId) query = query.where('message_id', '=', by.messageId.startsWith('<') ? by.messageId : `<${by.messageId}>`);
  else return null;
  const row = await query.executeTakeFirst();
  return row ? { id: row.id, kind: row.kind, recipient: row.recipient, opinionId: row.opinion_id } : null;
}

export type NewMailEvent = {
  outboxMessageId: number | null;
  kind: MailEventKind;
  bounceType: BounceType | null;
  recipient: string | null;
  statusCode: string | null;
  diagnostic: string | null;
  /** The Message-ID of the report or reply itself: the same one piped twice is recorded once. */
  sourceMessageId: string | null;
};

/** Records one event; false when the same report was recorded before. */
export async function recordMailEvent(db: DB, event: NewMailEvent, now = new Date()): Promise<boolean> {
  const result = await db
    .insertInto('mail_events')
    .values({
      outbox_message_id: event.outboxMessageId,
      kind: event.kind,
      bounce_type: event.bounceType,
      recipient: event.recipient?.toLowerCase() ?? null,
      status_code: event.statusCode,
      diagnostic: event.diagnostic?.slice(0, 1000) ?? null,
      source_message_id: event.sourceMessageId,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Bounces (hard and soft) recorded since `since`: /healthz reports the last 24 hours. */
export async function countBouncesSince(db: DB, since: Date): Promise<number> {
  const row = await db
    .selectFrom('mail_events')
    .select(sql<number>`count(*)`.as('n'))
    .where('kind', '=', 'bounce')
    .where('created_at', '>=', since.toISOString())
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type OpinionMessageView = {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** The latest bounce of this message, if one came back. */
  bounce: MessageBounce | null;
  /** An auto-reply (vacation, out of office) came back for this message. */
  autoReplied: boolean;
};

/**
 * Every message sent about one opinion: its own (acknowledgement, office and
 * unit notices, reminders) and the escalation lists it was on, each with what
 * came back.
 */
export async function listOpinionMessages(db: DB, opinionId: number): Promise<OpinionMessageView[]> {
  const rows = await db
    .selectFrom('outbox_messages as m')
    .select([
      'm.id',
      'm.kind',
      'm.recipient',
      'm.subject',
      'm.status',
      'm.attempts',
      'm.last_error',
      'm.created_at',
      'm.sent_at',
    ])
    .where((eb) =>
      eb.or([
        eb('m.opinion_id', '=', opinionId),
        eb('m.id', 'in', eb.selectFrom('opinion_mail_stages').select('outbox_message_id').where('opinion_id', '=', opinionId)),
      ]),
    )
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  if (rows.length === 0) return [];
  const events = await db
    .selectFrom('mail_events')
    .select(['outbox_message_id', 'kind', 'bounce_type', 'status_code', 'diagnostic', 'created_at'])
    .where(
      'outbox_message_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const bounces = new Map<number, MessageBounce>();
  const autoReplied = new Set<number>();
  for (const e of events) {
    if (e.kind === 'auto_reply') autoReplied.add(e.outbox_message_id!);
    // A hard bounce stays the answer even if a soft one (a late "delayed") follows it.
    else if (e.bounce_type && (e.bounce_type === 'hard' || bounces.get(e.outbox_message_id!)?.type !== 'hard')) {
      bounces.set(e.outbox_message_id!, { type: e.bounce_type, statusCode: e.status_code, diagnostic: e.diagnostic, at: e.created_at });
    }
  }
  return rows.map((m) => ({
    id: m.id,
    kind: m.kind,
    recipient: m.recipient,
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    lastError: m.last_error,
    createdAt: m.created_at,
    sentAt: m.sent_at,
    bounce: bounces.get(m.id) ?? null,
    autoReplied: autoReplied.has(m.id),
  }));
}

/** The office's own addresses as configured now. */
export function configuredOfficeAddresses(): string[] {
  const env = getEnv();
  return [...env.OFFICE_EMAIL, ...(env.ESCALATION_EMAIL ? [env.ESCALATION_EMAIL] : [])];
}

export type AddressBounce = {
  scope: 'office' | 'unit';
  address: string;
  unit: { id: number; name: string } | null;
  statusCode: string | null;
  diagnostic: string | null;
  at: string;
};

/**
 * Office and unit addresses that hard-bounced and are still in use: the office's
 * (OFFICE_EMAIL, ESCALATION_EMAIL, passed in) until the setting no longer names
 * them, a unit's until an admin saves the unit after the bounce (a changed or
 * a confirmed address) or retires it.
 */
export async function listAddressBounces(db: DB, officeAddresses: string[] = configuredOfficeAddresses()): Promise<AddressBounce[]> {
  const office = officeAddresses.map((a) => a.toLowerCase());
  const rows = await db
    .selectFrom('mail_events as e')
    .leftJoin('outbox_messages as m', 'm.id', 'e.outbox_message_id')
    .select([
      sql<string>`lower(coalesce(e.recipient, m.recipient))`.as('address'),
      'e.status_code',
      'e.diagnostic',
      'e.created_at',
    ])
    .where('e.kind', '=', 'bounce')
    .where('e.bounce_type', '=', 'hard')
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(500)
    .execute();
  if (rows.length === 0) return [];
  const units = await db
    .selectFrom('units as u')
    .select([
      'u.id',
      'u.name',
      sql<string>`lower(u.email)`.as('email'),
      (eb) =>
        eb
          .selectFrom('audit_log as a')
          .select(sql<string>`max(a.created_at)`.as('saved'))
          .where('a.entity_type', '=', 'unit')
          .where('a.action', 'in', ['unit.update', 'unit.create'])
          .whereRef('a.entity_id', '=', sql<string>`cast(u.id as text)`)
          .as('saved_at'),
    ])
    .where('u.retired_at', 'is', null)
    .where('u.email', 'is not', null)
    .execute();
  const seen = new Set<string>();
  const result: AddressBounce[] = [];
  for (const r of rows) {
    if (!r.address || seen.has(r.address)) continue;
    const base = { address: r.address, statusCode: r.status_code, diagnostic: r.diagnostic, at: r.created_at };
    if (office.includes(r.address)) {
      seen.add(r.address);
      result.push({ ...base, scope: 'office', unit: null });
      continue;
    }
    for (const u of units) {
      if (u.email !== r.address || (u.saved_at && u.saved_at > r.created_at)) continue;
      seen.add(r.address);
      result.push({ ...base, scope: 'unit', unit: { id: u.id, name: u.name } });
    }
  }
  return result;
}
