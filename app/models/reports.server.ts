import type { Language } from '../../db/schema';
import type { DB } from '~/server/db.server';
import { preparedQuery } from '~/server/prepared-query.server';
import type { CommentPeriod, CommentWindow, PeriodChange } from '~/domain/comment-period';
import { diffNotices, listDiffChanges, type NoticeOutline, type RevisionChange } from '~/domain/notice-diff';

/**
 * What a notice's address may be (checked on import). Anything else is no
 * notice: it is answered without a query, as PostgreSQL refuses some text
 * SQLite would look up (a NUL character).
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

type ReportSummary = {
  slug: string;
  revisionId: number;
  /** The language the notice was published in. */
  language: Language;
  title: string;
  publishedAt: string;
  sourceOffice: string;
  opensAt: string | null;
  closesAt: string | null;
};

type ReportItem = { number: number; heading: string; body: string };
export type ReportSection = { number: number; title: string; items: ReportItem[] };

export type ReportPage = {
  id: number;
  slug: string;
  revisionNo: number;
  revisionId: number;
  title: string;
  breadcrumb: string[];
  publishedAt: string;
  sourceOffice: string;
  viewCount: number;
  intro: string[];
  summary: string;
  sections: ReportSection[];
  nextSteps: string[];
  closing: string;
  phone: string;
  mailbox: string;
  issuer: string;
  issuedOn: string;
  importedAt: string;
  /** The language the notice was published in. */
  language: Language;
  period: CommentPeriod;
};

function latestRevisions(db: DB) {
  return db
    .selectFrom('report_revisions as rr')
    .innerJoin('reports as r', 'r.id', 'rr.report_id')
    .where(({ eb, selectFrom }) =>
      eb(
        'rr.revision_no',
        '=',
        selectFrom('report_revisions as x').select((e) => e.fn.max('x.revision_no').as('m')).whereRef('x.report_id', '=', 'rr.report_id'),
      ),
    );
}

/** Published reports (not drafts), newest first. */
export async function listReports(db: DB): Promise<ReportSummary[]> {
  const rows = await latestRevisions(db)
    .where('r.draft', '=', 0)
    .select(['r.slug', 'rr.id as revisionId', 'r.language', 'rr.title', 'rr.published_at', 'rr.source_office', 'r.opens_at', 'r.closes_at'])
    .orderBy('rr.published_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    slug: r.slug,
    revisionId: r.revisionId,
    language: r.language,
    title: r.title,
    publishedAt: r.published_at,
    sourceOffice: r.source_office,
    opensAt: r.opens_at,
    closesAt: r.closes_at,
  }));
}

/** The changes of a report's period the public is told about (延長, 早期終了), oldest first. */
export async function listPublicPeriodChanges(db: DB, reportId: number): Promise<PeriodChange[]> {
  const rows = await db
    .selectFrom('comment_period_changes')
    .select(['kind', 'created_at', 'previous_closes_at', 'closes_at', 'reason'])
    .where('report_id', '=', reportId)
    .where('kind', 'in', ['extend', 'close_early'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    kind: r.kind as PeriodChange['kind'],
    at: r.created_at,
    previousClosesAt: r.previous_closes_at,
    closesAt: r.closes_at,
    reason: r.reason ?? '',
  }));
}

/**
 * The two ends of a report's comment period (drafts included), or null for an
 * unknown id: all that taking or refusing an opinion needs (one query; the
 * period's history is for the pages that show it).
 */
export async function getCommentWindow(db: DB, reportId: number): Promise<CommentWindow | null> {
  const row = (await selectCommentWindow(db, { reportId })).rows[0];
  return row ? { opensAt: row.opens_at, closesAt: row.closes_at } : null;
}
// Read for every opinion post: built once (prepared-query.server.ts).
const selectCommentWindow = preparedQuery((db, p: { reportId: number }) =>
  db.selectFrom('reports').select(['opens_at', 'closes_at']).where('id', '=', p.reportId),
);

/** The latest revision of a published report with its sections and items, or null (unknown or a draft). */
export async function getReportPage(db: DB, slug: string): Promise<ReportPage | null> {
  if (!SLUG_PATTERN.test(slug)) return null;
  const rev = await latestRevisions(db)
    .where('r.slug', '=', slug)
    .where('r.draft', '=', 0)
    .selectAll('rr')
    .select(['r.slug', 'r.view_count', 'r.opens_at', 'r.closes_at', 'r.office_hours', 'r.language'])
    .executeTakeFirst();
  if (!rev) return null;
  const rows = await db
    .selectFrom('sections as s')
    .leftJoin('items as i', 'i.section_id', 's.id')
    .where('s.revision_id', '=', rev.id)
    .select(['s.number as sectionNumber', 's.title', 'i.number as itemNumber', 'i.heading', 'i.body'])
    .orderBy('s.number')
    .orderBy('i.number')
    .execute();
  const sections: ReportSection[] = [];
  for (const row of rows) {
    let section = sections[sections.length - 1];
    if (!section || section.number !== row.sectionNumber) {
      section = { number: row.sectionNumber, title: row.title, items: [] };
      sections.push(section);
    }
    if (row.itemNumber !== null) {
      section.items.push({ number: row.itemNumber, heading: row.heading ?? '', body: row.body ?? '' });
    }
  }
  return {
    id: rev.report_id,
    slug: rev.slug,
    revisionNo: rev.revision_no,
    revisionId: rev.id,
    title: rev.title,
    breadcrumb: JSON.parse(rev.breadcrumb_json) as string[],
    publishedAt: rev.published_at,
    sourceOffice: rev.source_office,
    viewCount: rev.view_count,
    intro: JSON.parse(rev.intro_json) as string[],
    summary: rev.summary,
    sections,
    nextSteps: JSON.parse(rev.next_steps_json) as string[],
    closing: rev.closing,
    phone: rev.phone,
    mailbox: rev.mailbox,
    issuer: rev.issuer,
    issuedOn: rev.issued_on,
    importedAt: rev.imported_at,
    language: rev.language,
    period: {
      opensAt: rev.opens_at,
      closesAt: rev.closes_at,
      officeHours: rev.office_hours,
      changes: await listPublicPeriodChanges(db, rev.report_id),
    },
  };
}

export type RevisionOutline = { revisionNo: number; importedAt: string; outline: NoticeOutline };

/** Every revision of a report with its sections and items, oldest first. */
export async function listRevisionOutlines(db: DB, reportId: number): Promise<RevisionOutline[]> {
  const [revisions, rows] = await Promise.all([
    db.selectFrom('report_revisions').selectAll().where('report_id', '=', reportId).orderBy('revision_no').execute(),
    db
      .selectFrom('report_revisions as rr')
      .innerJoin('sections as s', 's.revision_id', 'rr.id')
      .leftJoin('items as i', 'i.section_id', 's.id')
      .where('rr.report_id', '=', reportId)
      .select(['rr.id as revisionId', 's.number as sectionNumber', 's.title', 'i.number as itemNumber', 'i.heading', 'i.body'])
      .orderBy('rr.id')
      .orderBy('s.number')
      .orderBy('i.number')
      .execute(),
  ]);
  return revisions.map((rev) => {
    const sections: NoticeOutline['sections'] = [];
    for (const row of rows) {
      if (row.revisionId !== rev.id) continue;
      let section = sections[sections.length - 1];
      if (!section || section.number !== row.sectionNumber) sections.push((section = { number: row.sectionNumber, title: row.title, items: [] }));
      if (row.itemNumber !== null) section.items.push({ number: row.itemNumber, heading: row.heading ?? '', body: row.body ?? '' });
    }
    return {
      revisionNo: rev.revision_no,
      importedAt: rev.imported_at,
      outline: {
        title: rev.title,
        intro: JSON.parse(rev.intro_json) as string[],
        summary: rev.summary,
        nextSteps: JSON.parse(rev.next_steps_json) as string[],
        closing: rev.closing,
        phone: rev.phone,
        mailbox: rev.mailbox,
        issuer: rev.issuer,
        issuedOn: rev.issued_on,
        sections,
      },
    };
  });
}

/** `changes` as data; the page words them (wordRevisionChange). */
export type RevisionHistoryEntry = { revisionNo: number; importedAt: string; changes: RevisionChange[] };

/** 改訂履歴: each revision after the first, newest first, with what changed from the one before. */
export async function listRevisionHistory(db: DB, reportId: number): Promise<RevisionHistoryEntry[]> {
  const revisions = await listRevisionOutlines(db, reportId);
  const history: RevisionHistoryEntry[] = [];
  for (let i = 1; i < revisions.length; i++) {
    const changes = listDiffChanges(diffNotices(revisions[i - 1].outline, revisions[i].outline));
    history.push({ revisionNo: revisions[i].revisionNo, importedAt: revisions[i].importedAt, changes: changes.length ? changes : [{ kind: 'minor' }] });
  }
  return history.reverse();
}

/** Adds counted views in one statement per report (see view-counter.server). */
export async function addReportViews(db: DB, counts: Map<number, number>): Promise<void> {
  if (counts.size === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const [id, n] of counts) {
      await trx
        .updateTable('reports')
        .set((eb) => ({ view_count: eb('view_count', '+', n) }))
        .where('id', '=', id)
        .execute();
    }
  });
}

type ReportContacts = { reportId: number; slug: string; title: string; phone: string; mailbox: string };

/** The title and published channels of a report's latest revision (for mail and receipts). */
export async function getReportContacts(db: DB, reportId: number): Promise<ReportContacts | null> {
  const row = await latestRevisions(db)
    .where('r.id', '=', reportId)
    .select(['r.id', 'r.slug', 'rr.title', 'rr.phone', 'rr.mailbox'])
    .executeTakeFirst();
  return row ? { reportId: row.id, slug: row.slug, title: row.title, phone: row.phone, mailbox: row.mailbox } : null;
}

/** Section titles of a report's latest revision, by number (0 is the notice as a whole). */
export async function getSectionTitles(db: DB, reportId: number): Promise<Map<number, { title: string; items: Map<number, string> }>> {
  const rows = await latestRevisions(db)
    .where('r.id', '=', reportId)
    .innerJoin('sections as s', 's.revision_id', 'rr.id')
    .leftJoin('items as i', 'i.section_id', 's.id')
    .select(['s.number as sectionNumber', 's.title', 'i.number as itemNumber', 'i.heading'])
    .execute();
  const map = new Map<number, { title: string; items: Map<number, string> }>();
  for (const row of rows) {
    let entry = map.get(row.sectionNumber);
    if (!entry) map.set(row.sectionNumber, (entry = { title: row.title, items: new Map() }));
    if (row.itemNumber !== null) entry.items.set(row.itemNumber, row.heading ?? '');
  }
  return map;
}
