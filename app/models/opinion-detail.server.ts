// Everything staff see about one opinion, in one call.
import type { AckWithheld, Channel, OpinionStatus, ReplyStatus } from '../../db/schema';
import { listAuditForEntity, type AuditEntryView } from '~/models/audit.server';
import { listOpinionMessages, type OpinionMessageView } from '~/models/mail-events.server';
import { citizenHardBounce } from '~/domain/mail-bounces';
import { getReportContacts, getSectionTitles } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import { isOverdue } from '~/domain/opinion-status';

export type StaffOpinionView = {
  id: number;
  trackingNumber: string;
  report: { id: number; slug: string; title: string; phone: string; mailbox: string };
  /** The section or item on the public notice page. */
  publicHref: string;
  sectionNumber: number;
  sectionTitle: string | null;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  /** Postal address for a reply by post (staff only, never public). */
  address: string | null;
  replyWanted: boolean;
  publicOk: boolean;
  consent: boolean;
  /** Why the acknowledgement was not sent although an email was given. */
  ackWithheld: AckWithheld | null;
  channel: Channel;
  status: OpinionStatus;
  duplicateOf: { id: number; trackingNumber: string } | null;
  unit: { id: number; name: string; email: string | null; retired: boolean } | null;
  assignee: { id: number; displayName: string; active: boolean } | null;
  recordedBy: { id: number; displayName: string } | null;
  receivedAt: string;
  /** Received while the notice's comment period was not open (期間外). */
  outsidePeriod: boolean;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  reply: { status: ReplyStatus; publishedAt: string | null } | null;
  notes: Array<{ id: number; body: string; createdAt: string; authorName: string }>;
  /** Every message about the opinion, with any bounce or auto-reply that came back. */
  messages: OpinionMessageView[];
  /** The writer's address hard-bounced: answer by phone or post. */
  emailBounce: ReturnType<typeof citizenHardBounce>;
  history: AuditEntryView[];
};

/** The id the notice page gives a section or item. */
function sectionAnchor(section: number, item: number | null): string {
  if (section === 0) return 'section-0';
  return item === null ? `section-${section}` : `section-${section}-${item}`;
}

/** The opinion with its titles, people, notes, mail and audit history; null when there is none. */
export async function getOpinionForStaff(db: DB, id: number, now = new Date().toISOString()): Promise<StaffOpinionView | null> {
  const o = await db
    .selectFrom('opinions as o')
    .leftJoin('units as u', 'u.id', 'o.unit_id')
    .leftJoin('users as a', 'a.id', 'o.assignee_id')
    .leftJoin('users as rb', 'rb.id', 'o.recorded_by_id')
    .leftJoin('opinions as d', 'd.id', 'o.duplicate_of_id')
    .leftJoin('official_replies as r', 'r.opinion_id', 'o.id')
    .selectAll('o')
    .select([
      'u.name as unit_name',
      'u.email as unit_email',
      'u.retired_at as unit_retired_at',
      'a.display_name as assignee_name',
      'a.active as assignee_active',
      'rb.display_name as recorded_by_name',
      'd.tracking_number as duplicate_tracking_number',
      'r.status as reply_status',
      'r.published_at as reply_published_at',
    ])
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!o) return null;

  const [contacts, titles, notes, messages, history] = await Promise.all([
    getReportContacts(db, o.report_id),
    getSectionTitles(db, o.report_id),
    db
      .selectFrom('opinion_notes as n')
      .innerJoin('users as u', 'u.id', 'n.author_id')
      .select(['n.id', 'n.body', 'n.created_at', 'u.display_name'])
      .where('n.opinion_id', '=', id)
      .orderBy('n.created_at')
      .orderBy('n.id')
      .execute(),
    listOpinionMessages(db, id),
    listAuditForEntity(db, 'opinion', id),
  ]);
  const section = titles.get(o.section_number);
  return {
    id: o.id,
    trackingNumber: o.tracking_number,
    report: {
      id: o.report_id,
      slug: contacts?.slug ?? '',
      title: contacts?.title ?? '',
      phone: contacts?.phone ?? '',
      mailbox: contacts?.mailbox ?? '',
    },
    publicHref: `/reports/${contacts?.slug ?? ''}#${sectionAnchor(o.section_number, o.item_number)}`,
    sectionNumber: o.section_number,
    sectionTitle: o.section_number === 0 ? null : (section?.title ?? null),
    itemNumber: o.item_number,
    itemHeading: o.item_number === null ? null : (section?.items.get(o.item_number) ?? null),
    body: o.body,
    name: o.name,
    email: o.email,
    phone: o.phone,
    address: o.address,
    replyWanted: o.reply_wanted === 1,
    publicOk: o.public_ok === 1,
    consent: o.consent === 1,
    ackWithheld: o.ack_withheld,
    channel: o.channel,
    status: o.status,
    duplicateOf:
      o.duplicate_of_id !== null && o.duplicate_tracking_number !== null
        ? { id: o.duplicate_of_id, trackingNumber: o.duplicate_tracking_number }
        : null,
    unit:
      o.unit_id !== null && o.unit_name !== null
        ? { id: o.unit_id, name: o.unit_name, email: o.unit_email, retired: o.unit_retired_at !== null }
        : null,
    assignee:
      o.assignee_id !== null && o.assignee_name !== null
        ? { id: o.assignee_id, displayName: o.assignee_name, active: o.assignee_active === 1 }
        : null,
    recordedBy: o.recorded_by_id !== null && o.recorded_by_name !== null ? { id: o.recorded_by_id, displayName: o.recorded_by_name } : null,
    receivedAt: o.received_at,
    outsidePeriod: o.outside_period === 1,
    dueAt: o.due_at,
    overdue: isOverdue(o.due_at, o.status, now),
    createdAt: o.created_at,
    updatedAt: o.updated_at,
    reply: o.reply_status ? { status: o.reply_status, publishedAt: o.reply_published_at } : null,
    notes: notes.map((n) => ({ id: n.id, body: n.body, createdAt: n.created_at, authorName: n.display_name })),
    messages,
    emailBounce: citizenHardBounce(messages),
    history,
  };
}
