// What the intake API reads and writes. Opinions are stored by createOpinion,
// as every other channel's are (same checks, tracking number, office mail
// through the outbox); nothing here returns a person's name or contact.
import type { Channel } from '../../db/schema';
import type { ApiOpinion, FieldProblem } from '~/schemas/api';
import type { DB } from '~/server/db.server';
import { STATUS_LABELS } from '~/domain/labels';
import { checkOpinionTarget, getReportOutline } from '~/models/opinion-targets.server';
import { getOpinionStatusByTrackingNumber } from '~/models/opinion-receipts.server';
import { submitOpinion } from '~/models/opinions.server';
import { publicReplyPath } from '~/models/replies-public.server';

export type ReceivedApiOpinion =
  | { ok: true; opinionId: number; trackingNumber: string; duplicate: boolean }
  | { ok: false; errors: FieldProblem[] };

/** Stores an opinion another system received; a report, section or item that does not exist is a field error. */
export async function receiveApiOpinion(
  db: DB,
  input: ApiOpinion,
  options: { formToken: string | null },
): Promise<ReceivedApiOpinion> {
  const outline = await getReportOutline(db, input.report);
  if (!outline) return { ok: false, errors: [{ pointer: '/report', detail: `「${input.report}」という通報はありません。` }] };
  const targetError = checkOpinionTarget(outline, input.section, input.item);
  if (targetError) {
    const field = input.item !== null && outline.sections.some((s) => s.number === input.section) ? '/item' : '/section';
    return { ok: false, errors: [{ pointer: field, detail: targetError }] };
  }
  const { report: _report, channel, receivedAt, ...submitted } = input;
  const created = await submitOpinion(
    db,
    outline.reportId,
    { ...submitted, consent: true, formToken: options.formToken },
    { channel: channel satisfies Channel, receivedAt, clientHash: null, userAgent: null },
  );
  return { ok: true, opinionId: created.id, trackingNumber: created.trackingNumber, duplicate: created.duplicate };
}

/** The status of an opinion and its published reply, as GET /api/v1/opinions/{n} answers it, or null. */
export async function getApiOpinionStatus(db: DB, trackingNumber: string) {
  const view = await getOpinionStatusByTrackingNumber(db, trackingNumber);
  if (!view) return null;
  return {
    trackingNumber: view.trackingNumber,
    status: view.status,
    statusLabel: STATUS_LABELS[view.status],
    receivedAt: view.receivedAt,
    report: { slug: view.reportSlug, title: view.reportTitle },
    section: view.sectionNumber,
    sectionTitle: view.sectionTitle,
    item: view.itemNumber,
    itemHeading: view.itemHeading,
    reply: view.reply
      ? { body: view.reply.body, publishedAt: view.reply.publishedAt, updatedAt: view.reply.updatedAt, opinion: view.reply.redactedOpinion }
      : null,
  };
}

export const API_REPLIES_PER_PAGE = 50;
export const API_REPLIES_MAX_PER_PAGE = 100;

/**
 * Every published reply of a report, newest first, as open data: exactly the
 * fields the public reply pages show (no tracking number, no person; the
 * opinion only while both the citizen's consent and the moderator's choice
 * stand). The same rule as listPublishedReplies in replies.server.ts, over all
 * sections at once.
 */
export async function listApiPublicReplies(db: DB, slug: string, page: number, perPage: number, baseUrl: string) {
  const outline = await getReportOutline(db, slug);
  if (!outline) return null;
  const base = db
    .selectFrom('official_replies as r')
    .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
    .where('o.report_id', '=', outline.reportId)
    .where('r.status', '=', 'published');
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(['r.id', 'o.section_number', 'o.item_number', 'o.received_at', 'r.show_opinion', 'o.public_ok', 'r.redacted_opinion', 'r.body', 'r.published_at', 'r.updated_at'])
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(perPage)
    .offset((page - 1) * perPage)
    .execute();
  const pageCount = Math.max(1, Math.ceil(Number(total) / perPage));
  const pageUrl = (p: number) => `${baseUrl}/api/v1/reports/${encodeURIComponent(outline.slug)}/replies?page=${p}&perPage=${perPage}`;
  return {
    report: { slug: outline.slug, title: outline.title },
    replies: rows.map((row) => {
      const publishedAt = row.published_at ?? row.updated_at;
      return {
        id: row.id,
        section: row.section_number,
        item: row.item_number,
        receivedAt: row.received_at,
        opinion: row.show_opinion === 1 && row.public_ok === 1 ? row.redacted_opinion : null,
        body: row.body,
        publishedAt,
        updatedAt: row.updated_at > publishedAt ? row.updated_at : null,
        url: baseUrl + publicReplyPath(outline.slug, row.section_number, row.id),
      };
    }),
    page,
    perPage,
    total: Number(total),
    pageCount,
    next: page < pageCount ? pageUrl(page + 1) : null,
    prev: page > 1 ? pageUrl(Math.min(page - 1, pageCount)) : null,
  };
}
