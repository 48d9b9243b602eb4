// Reading an opinion back, public-safe (never the name or contact): the
// receipt behind its token and its status by tracking number.
import type { OpinionStatus } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { getReportOutlineById, opinionTarget, type ReportOutline } from '~/models/opinion-targets.server';

export type OpinionReceipt = {
  trackingNumber: string;
  receivedAt: string;
  dueAt: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  body: string;
  replyWanted: boolean;
  publicOk: boolean;
  status: OpinionStatus;
  reportSlug: string;
  reportTitle: string;
  phone: string;
  mailbox: string;
  /** Files sent with the opinion: names and sizes, never the files. */
  attachments: Array<{ name: string; size: number }>;
};

async function outlineFor(db: DB, reportId: number): Promise<ReportOutline> {
  const outline = await getReportOutlineById(db, reportId);
  if (!outline) throw new Error(`report ${reportId} has no revision`);
  return outline;
}

/** The receipt behind an unguessable token, or null. */
export async function getOpinionByReceiptToken(db: DB, token: string): Promise<OpinionReceipt | null> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return null;
  const row = await db
    .selectFrom('opinions')
    .select([
      'id',
      'report_id',
      'tracking_number',
      'received_at',
      'due_at',
      'section_number',
      'item_number',
      'body',
      'reply_wanted',
      'public_ok',
      'status',
    ])
    .where('receipt_token', '=', token)
    .executeTakeFirst();
  if (!row) return null;
  const outline = await outlineFor(db, row.report_id);
  // The files the person sent: names and sizes only (scans staff added later are the office's).
  const attachments = await db
    .selectFrom('attachments')
    .select(['name', 'size'])
    .where('opinion_id', '=', row.id)
    .where('added_by_id', 'is', null)
    .orderBy('id')
    .execute();
  return {
    trackingNumber: row.tracking_number,
    receivedAt: row.received_at,
    dueAt: row.due_at,
    attachments,
    ...opinionTarget(outline, row.section_number, row.item_number),
    body: row.body,
    replyWanted: row.reply_wanted === 1,
    publicOk: row.public_ok === 1,
    status: row.status,
    reportSlug: outline.slug,
    reportTitle: outline.title,
    phone: outline.phone,
    mailbox: outline.mailbox,
  };
}

export type PublishedReply = {
  body: string;
  publishedAt: string | null;
  updatedAt: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
};

export type OpinionStatusView = {
  trackingNumber: string;
  status: OpinionStatus;
  receivedAt: string;
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
  reportSlug: string;
  reportTitle: string;
  phone: string;
  mailbox: string;
  reply: PublishedReply | null;
};

/** The status of an opinion and its published reply, or null. No text of the opinion, no person. */
export async function getOpinionStatusByTrackingNumber(
  db: DB,
  trackingNumber: string
): Promise<OpinionStatusView | null> {
  const row = await db
    .selectFrom('opinions as o')
    .leftJoin('official_replies as r', (j) => j.onRef('r.opinion_id', '=', 'o.id').on('r.status', '=', 'published'))
    .select([
      'o.report_id',
      'o.tracking_number',
      'o.status',
      'o.received_at',
      'o.section_number',
      'o.item_number',
      'o.public_ok',
      'r.id as reply_id',
      'r.body as reply_body',
      'r.published_at',
      'r.updated_at as reply_updated_at',
      'r.show_opinion',
      'r.redacted_opinion',
    ])
    .where('o.tracking_number', '=', trackingNumber)
    .executeTakeFirst();
  if (!row) return null;
  const outline = await outlineFor(db, row.report_id);
  return {
    trackingNumber: row.tracking_number,
    status: row.status,
    receivedAt: row.received_at,
    ...opinionTarget(outline, row.section_number, row.item_number),
    reportSlug: outline.slug,
    reportTitle: outline.title,
    phone: outline.phone,
    mailbox: outline.mailbox,
    reply:
      row.reply_id !== null
        ? {
            body: row.reply_body ?? '',
            publishedAt: row.published_at,
            updatedAt: row.reply_updated_at ?? '',
            // Shown only while the citizen's consent stands, as on the public pages.
            showOpinion: row.show_opinion === 1 && row.public_ok === 1,
            redactedOpinion: row.show_opinion === 1 && row.public_ok === 1 ? row.redacted_opinion : null,
          }
        : null,
  };
}

/** The phone and mailbox of the most recently published report (for pages outside a report). */
export async function getPublishedContacts(db: DB): Promise<{ phone: string; mailbox: string } | null> {
  const row = await db
    .selectFrom('report_revisions')
    .select(['phone', 'mailbox'])
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
