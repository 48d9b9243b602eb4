// A person's copy of their own data (a privacy request, ./privacy-requests.server.ts):
// every opinion stored with their email or phone, as stored, with the replies
// published to it; recorded in the audit log by a keyed hash of the person.
import { getT } from '~/i18n/i18n.server';
import { recordAudit } from '~/models/audit.server';
import { matchOpinions, personHash, publishedReplies, targetOf } from '~/models/privacy-requests.server';
import type { PrivacyQuery } from '~/schemas/privacy';
import type { DB } from '~/server/db.server';
import type { StaffUser } from '~/server/session.server';
import { formatTarget, type Translate } from '~/utils/format';

/** The file a person receives: every opinion stored with their details, as stored. */
export type PersonalDataExport = {
  format: 'ikenbako-personal-data/1';
  exportedAt: string;
  searchedBy: 'email' | 'phone';
  searchedFor: string;
  opinions: Array<{
    trackingNumber: string;
    receivedAt: string;
    channel: string;
    report: string;
    target: string;
    body: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    replyWanted: boolean;
    publicOk: boolean;
    consent: boolean;
    status: string;
    dueAt: string;
    updatedAt: string;
    /** Stored to recognise floods: a keyed hash of the client address, and the browser's user agent. */
    clientHash: string | null;
    userAgent: string | null;
    reply: { body: string; publishedAt: string | null; updatedAt: string; opinionAsPublished: string | null } | null;
    messagesToYou: Array<{
      subject: string;
      text: string;
      to: string;
      status: string;
      createdAt: string;
      sentAt: string | null;
    }>;
  }>;
};

/**
 * The JSON copy for the person, and an audit row saying who took it and how
 * many opinions it held. Internal notes are the office's working record and
 * are not part of it; mail to the office is not either (it repeats the
 * opinion and the details, which the file already holds).
 */
export async function exportPersonalData(
  db: DB,
  actor: StaffUser,
  query: PrivacyQuery,
  now = new Date(),
  /** The language the file is worded in (the staff member's: namespaces common, then staff); Japanese by default. */
  t: Translate = getT('ja', ['common', 'staff']),
): Promise<PersonalDataExport> {
  const rows = await matchOpinions(db, query);
  const ids = rows.map((r) => r.id);
  const replies = new Map((await publishedReplies(db, ids)).map((r) => [r.opinion_id, r]));
  const messages = ids.length
    ? await db
        .selectFrom('outbox_messages')
        .select(['opinion_id', 'recipient', 'subject', 'text_body', 'status', 'created_at', 'sent_at'])
        .where('opinion_id', 'in', ids)
        .orderBy('id')
        .execute()
    : [];
  const opinions: PersonalDataExport['opinions'] = [];
  for (const r of rows) {
    const { target, reportTitle } = await targetOf(db, r);
    const reply = replies.get(r.id);
    opinions.push({
      trackingNumber: r.tracking_number,
      receivedAt: r.received_at,
      channel: t(`staff:channel.${r.channel}`),
      report: reportTitle,
      target: formatTarget(target, 'long', t),
      body: r.body,
      name: r.name,
      email: r.email,
      phone: r.phone,
      address: r.address,
      replyWanted: r.reply_wanted === 1,
      publicOk: r.public_ok === 1,
      consent: r.consent === 1,
      status: t(`staff:status.${r.status}`),
      dueAt: r.due_at,
      updatedAt: r.updated_at,
      clientHash: r.client_hash,
      userAgent: r.user_agent,
      reply: reply
        ? {
            body: reply.body,
            publishedAt: reply.published_at,
            updatedAt: reply.updated_at,
            opinionAsPublished: reply.show_opinion ? reply.redacted_opinion : null,
          }
        : null,
      messagesToYou: messages
        .filter(
          (m) =>
            m.opinion_id === r.id &&
            r.email !== null &&
            m.recipient.trim().toLowerCase() === r.email.trim().toLowerCase(),
        )
        .map((m) => ({
          subject: m.subject,
          text: m.text_body,
          to: m.recipient,
          status: m.status,
          createdAt: m.created_at,
          sentAt: m.sent_at,
        })),
    });
  }
  await recordAudit(db, {
    actor,
    action: 'opinion.privacy_export',
    entityType: 'opinion',
    entityId: null,
    after: { matchedBy: query.kind, subjectHash: personHash(query), opinions: opinions.length },
  });
  return {
    format: 'ikenbako-personal-data/1',
    exportedAt: now.toISOString(),
    searchedBy: query.kind,
    searchedFor: query.value,
    opinions,
  };
}
