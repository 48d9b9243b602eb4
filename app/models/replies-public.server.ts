// What the public reads of the official replies: the published ones per
// section, their counts, and where each is shown. "Public now" means status =
// 'published' (PUBLIC_REPLY_STATUS): a withdrawn reply keeps its published_at,
// so published_at alone does not say it.
import { sql } from 'kysely';
import type { ReplyStatus } from '../../db/schema';
import type { DB } from '~/server/db.server';

export const REPLIES_PER_PAGE = 10;

/** The one status in which a reply is on the public pages (and counts as "replied" on the dashboard). */
export const PUBLIC_REPLY_STATUS = 'published' satisfies ReplyStatus;

export function isReplyPublic(status: ReplyStatus): boolean {
  return status === PUBLIC_REPLY_STATUS;
}

/** One answered opinion as the public sees it: no tracking number, no person. */
export type PublicReply = {
  id: number;
  sectionNumber: number;
  itemNumber: number | null;
  receivedAt: string;
  /** The redacted opinion, only when the citizen agreed and the moderator chose to show it. */
  opinion: string | null;
  body: string;
  publishedAt: string;
  /** Set only when the reply was changed after it was first published. */
  updatedAt: string | null;
  /** The one image a moderator published beside the reply (its re-encoded copy), or null. */
  imageId: number | null;
};

/** Where a published reply is shown to the public. */
export function publicReplyPath(slug: string, sectionNumber: number, replyId: number): string {
  return `/reports/${encodeURIComponent(slug)}/sections/${sectionNumber}/replies#reply-${replyId}`;
}

function publishedReplies(db: DB, reportId: number) {
  // From the published replies (few) to their opinions, never through every
  // opinion about the report (a million): the unary + keeps SQLite off
  // opinions_section for the join (364 ms at 100,000 opinions).
  return db
    .selectFrom('official_replies as r')
    .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
    .where(sql<number>`+o.report_id`, '=', reportId)
    .where('r.status', '=', PUBLIC_REPLY_STATUS);
}

type PublicRow = {
  id: number;
  section_number: number;
  item_number: number | null;
  received_at: string;
  show_opinion: 0 | 1;
  public_ok: 0 | 1;
  redacted_opinion: string | null;
  body: string;
  published_at: string | null;
  updated_at: string;
  image_id: number | null;
};

/** The image published beside the reply (attachments.published_at), if any. */
const PUBLISHED_IMAGE = sql<number | null>`(select a.id from attachments a where a.opinion_id = o.id and a.published_at is not null and a.type != 'application/pdf' limit 1)`.as('image_id');

const PUBLIC_COLUMNS = [
  'r.id',
  'o.section_number',
  'o.item_number',
  'o.received_at',
  'r.show_opinion',
  'o.public_ok',
  'r.redacted_opinion',
  'r.body',
  'r.published_at',
  'r.updated_at',
  PUBLISHED_IMAGE,
] as const;

function toPublicReply(row: PublicRow): PublicReply {
  const publishedAt = row.published_at ?? row.updated_at;
  return {
    id: row.id,
    sectionNumber: row.section_number,
    itemNumber: row.item_number,
    receivedAt: row.received_at,
    // Both flags, so a consent withdrawn later (public_ok cleared) hides the text at once.
    opinion: row.show_opinion === 1 && row.public_ok === 1 ? row.redacted_opinion : null,
    body: row.body,
    publishedAt,
    updatedAt: row.updated_at > publishedAt ? row.updated_at : null,
    imageId: row.image_id,
  };
}

export type PublishedRepliesPage = {
  replies: PublicReply[];
  total: number;
  page: number;
  perPage: number;
  pageCount: number;
};

/** Published replies of one section, newest first. */
export async function listPublishedReplies(
  db: DB,
  reportId: number,
  sectionNumber: number,
  { page = 1, perPage = REPLIES_PER_PAGE }: { page?: number; perPage?: number } = {}
): Promise<PublishedRepliesPage> {
  // + as in publishedReplies: through opinions_section_received, a section of a million opinions took 440 ms.
  const base = publishedReplies(db, reportId).where(sql<number>`+o.section_number`, '=', sectionNumber);
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await base
    .select(PUBLIC_COLUMNS)
    .orderBy('r.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(perPage)
    .offset((Math.max(1, page) - 1) * perPage)
    .execute();
  return {
    replies: rows.map(toPublicReply),
    total: Number(total),
    page,
    perPage,
    pageCount: Math.max(1, Math.ceil(Number(total) / perPage)),
  };
}

export type SectionCount = { received: number; answered: number };

/** Per section: opinions received and replies published. */
export async function countRepliesBySection(db: DB, reportId: number): Promise<Map<number, SectionCount>> {
  const [received, answered] = await Promise.all([
    // Kept by triggers: counting a million opinions took ~0.5 s.
    db.selectFrom('opinion_section_counts').select(['section_number', 'n']).where('report_id', '=', reportId).where('n', '>', 0).execute(),
    publishedReplies(db, reportId)
      .select(['o.section_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('o.section_number')
      .execute(),
  ]);
  const counts = new Map<number, SectionCount>();
  for (const r of received) counts.set(r.section_number, { received: Number(r.n), answered: 0 });
  for (const r of answered) {
    const entry = counts.get(r.section_number) ?? { received: 0, answered: 0 };
    entry.answered = Number(r.n);
    counts.set(r.section_number, entry);
  }
  return counts;
}

/** For the report page: each section's newest replies and how many it has in all. */
export async function listLatestRepliesBySection(
  db: DB,
  reportId: number,
  perSection = 5
): Promise<Map<number, { total: number; replies: PublicReply[] }>> {
  const ranked = publishedReplies(db, reportId).select([
    ...PUBLIC_COLUMNS,
    (eb) =>
      eb.fn
        .agg<number>('row_number')
        .over((ob) => ob.partitionBy('o.section_number').orderBy('r.published_at', 'desc').orderBy('r.id', 'desc'))
        .as('rn'),
    (eb) =>
      eb.fn
        .countAll<number>()
        .over((ob) => ob.partitionBy('o.section_number'))
        .as('total'),
  ]);
  const rows = await db
    .selectFrom(ranked.as('x'))
    .selectAll()
    .where('x.rn', '<=', perSection)
    .orderBy('x.section_number')
    .orderBy('x.rn')
    .execute();
  const bySection = new Map<number, { total: number; replies: PublicReply[] }>();
  for (const row of rows) {
    let entry = bySection.get(row.section_number);
    if (!entry) bySection.set(row.section_number, (entry = { total: Number(row.total), replies: [] }));
    entry.replies.push(toPublicReply(row));
  }
  return bySection;
}
