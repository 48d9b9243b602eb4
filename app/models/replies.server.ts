// Official replies as the editor sees them: a moderator answers an opinion,
// optionally beside a redacted copy of it. The editor's data and its preview
// live here; what a reply must meet in reply-rules.server.ts, the writes in
// replies-publish.server.ts, what the public reads in replies-public.server.ts.
import type { OpinionStatus, ReplyStatus } from '../../db/schema';
import { getReportContacts, getSectionTitles } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import { redactOpinion } from '~/domain/redact';
import { openFindings, type PersonalDataFinding } from '~/domain/personal-data';
import { UserError, type UserMessage } from '~/utils/user-error.server';
import { isReplyPublic, type PublicReply } from '~/models/replies-public.server';
import { checkContent, listedFindings, publicationFindings, WARNINGS } from '~/models/reply-rules.server';

/** Where an opinion goes when its only public reply is withdrawn and its earlier status is unknown. */
export const STATUS_AFTER_WITHDRAWAL: OpinionStatus = 'in_progress';

export type ReplyInput = {
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  /** On an edit of a published reply: tell the citizen again. */
  renotify?: boolean;
  /** Keys of findings the moderator ticked as "checked: this is not personal data". */
  notPersonalData?: readonly string[];
};

export type ReplyState = {
  id: number;
  status: ReplyStatus;
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  publishedAt: string | null;
  updatedAt: string;
  unpublishedReason: string | null;
};

export type ReplyRevision = {
  id: number;
  body: string;
  showOpinion: boolean;
  redactedOpinion: string | null;
  createdAt: string;
  createdBy: string;
  /** The version the public sees now (the newest, while the reply is published). */
  isPublic: boolean;
};

export type ReplyEditorData = {
  opinion: {
    id: number;
    trackingNumber: string;
    reportId: number;
    reportSlug: string;
    reportTitle: string;
    sectionNumber: number;
    sectionTitle: string;
    itemNumber: number | null;
    itemHeading: string | null;
    body: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    publicOk: boolean;
    status: OpinionStatus;
    receivedAt: string;
  };
  reply: ReplyState | null;
  /** The stored redacted copy, or the opinion pre-redacted when none is stored yet. */
  redactedOpinion: string;
  /** Newest first. */
  revisions: ReplyRevision[];
  /** The "公開前の確認" list for the stored text. */
  findings: PersonalDataFinding[];
};

export async function loadOpinion(db: DB, opinionId: number) {
  const opinion = await db
    .selectFrom('opinions')
    .select(['id', 'tracking_number', 'report_id', 'section_number', 'item_number', 'received_at', 'body', 'name', 'email', 'phone', 'address', 'public_ok', 'status', 'language'])
    .where('id', '=', opinionId)
    .executeTakeFirst();
  if (!opinion) throw new UserError('models:replies.opinionNotFound', 404);
  return opinion;
}

export type OpinionRow = Awaited<ReturnType<typeof loadOpinion>>;

export async function loadReply(db: DB, opinionId: number): Promise<ReplyState | null> {
  const row = await db
    .selectFrom('official_replies')
    .selectAll()
    .where('opinion_id', '=', opinionId)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        status: row.status,
        body: row.body,
        showOpinion: row.show_opinion === 1,
        redactedOpinion: row.redacted_opinion,
        publishedAt: row.published_at,
        updatedAt: row.updated_at,
        unpublishedReason: row.unpublished_reason,
      }
    : null;
}

/** Everything the reply editor shows for one opinion, or null when there is no such opinion. */
export async function getReplyDraftForOpinion(db: DB, opinionId: number): Promise<ReplyEditorData | null> {
  const opinion = await db.selectFrom('opinions').selectAll().where('id', '=', opinionId).executeTakeFirst();
  if (!opinion) return null;
  const [contacts, titles, reply] = await Promise.all([
    getReportContacts(db, opinion.report_id),
    getSectionTitles(db, opinion.report_id),
    loadReply(db, opinionId),
  ]);
  const section = titles.get(opinion.section_number);
  const revisions = reply
    ? await db
        .selectFrom('official_reply_revisions as v')
        .leftJoin('users as u', 'u.id', 'v.created_by_id')
        .select(['v.id', 'v.body', 'v.show_opinion', 'v.redacted_opinion', 'v.created_at', 'u.display_name'])
        .where('v.reply_id', '=', reply.id)
        .orderBy('v.id', 'desc')
        .execute()
    : [];
  const published = reply !== null && isReplyPublic(reply.status);
  const redactedOpinion = reply?.redactedOpinion ?? redactOpinion(opinion.body, opinion);
  return {
    opinion: {
      id: opinion.id,
      trackingNumber: opinion.tracking_number,
      reportId: opinion.report_id,
      reportSlug: contacts?.slug ?? '',
      reportTitle: contacts?.title ?? '',
      sectionNumber: opinion.section_number,
      sectionTitle: opinion.section_number === 0 ? '通報全体' : section?.title ?? '',
      itemNumber: opinion.item_number,
      itemHeading: opinion.item_number === null ? null : section?.items.get(opinion.item_number) ?? null,
      body: opinion.body,
      name: opinion.name,
      email: opinion.email,
      phone: opinion.phone,
      address: opinion.address,
      publicOk: opinion.public_ok === 1,
      status: opinion.status,
      receivedAt: opinion.received_at,
    },
    reply,
    redactedOpinion,
    findings: listedFindings(opinion, { body: reply?.body ?? '', redactedOpinion }),
    // Every publication writes a revision and a published reply cannot take a
    // draft, so while it is published the newest revision is what the public reads.
    revisions: revisions.map((v, i) => ({
      id: v.id,
      body: v.body,
      showOpinion: v.show_opinion === 1,
      redactedOpinion: v.redacted_opinion,
      createdAt: v.created_at,
      createdBy: v.display_name ?? '',
      isPublic: published && i === 0,
    })),
  };
}

/**
 * What the "公開前の確認" list shows for the text in the editor: every finding
 * in the reply, and in the copy whenever the citizen's consent lets it be
 * shown (ticking 意見を公開する must not reveal new ones at the last step).
 */
export async function findReplyPersonalData(
  db: DB,
  opinionId: number,
  input: ReplyInput
): Promise<PersonalDataFinding[]> {
  const opinion = await loadOpinion(db, opinionId);
  return listedFindings(opinion, input);
}

/** `warnings` are catalog keys with their values; the route words them. */
export type ReplyPreview = { entry: PublicReply; warnings: UserMessage[]; findings: PersonalDataFinding[] };

/**
 * The entry exactly as the public list would render it, and what would stop
 * it being published (said as warnings: a preview is never refused).
 */
export async function previewReply(db: DB, opinionId: number, input: ReplyInput): Promise<ReplyPreview> {
  const [opinion, reply] = await Promise.all([loadOpinion(db, opinionId), loadReply(db, opinionId)]);
  const content = checkContent(input);
  const consented = opinion.public_ok === 1;
  const showOpinion = content.showOpinion && consented;
  const warnings: UserMessage[] = [];
  if (content.showOpinion && !consented) warnings.push(WARNINGS.noConsent);
  if (showOpinion && !content.redactedOpinion) warnings.push(WARNINGS.copyEmpty);
  const open = openFindings(publicationFindings(opinion, content), input.notPersonalData ?? []);
  if (open.length) warnings.push(WARNINGS.openFindings(open.length));
  const findings = listedFindings(opinion, content);
  if (!content.body) warnings.push(WARNINGS.bodyEmpty);
  const now = new Date().toISOString();
  return {
    entry: {
      id: reply?.id ?? 0,
      sectionNumber: opinion.section_number,
      itemNumber: opinion.item_number,
      receivedAt: opinion.received_at,
      opinion: showOpinion ? content.redactedOpinion : null,
      body: content.body,
      publishedAt: reply?.publishedAt ?? now,
      updatedAt: reply && isReplyPublic(reply.status) ? now : null,
      imageId: null,
    },
    warnings,
    findings,
  };
}

export function snapshot(reply: ReplyState | null) {
  return reply
    ? {
        replyId: reply.id,
        status: reply.status,
        body: reply.body,
        showOpinion: reply.showOpinion,
        redactedOpinion: reply.redactedOpinion,
        publishedAt: reply.publishedAt,
        unpublishedReason: reply.unpublishedReason,
      }
    : null;
}
