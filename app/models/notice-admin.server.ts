// The notices console's reads: every notice with its state, one notice's
// revisions, period and the opinions on each section/item (also those on items
// a later revision removed). Publishing a draft and changing a period are in
// ./notice-publish.server; storing text goes through importNotice
// (notices.server), the path the CLI uses too.
import { sql } from 'kysely';
import type { DB } from '~/server/db.server';
import { periodState, type CommentPeriod, type NoticeState } from '~/domain/comment-period';
import { listRevisionHistory, listRevisionOutlines, type RevisionHistoryEntry } from '~/models/reports.server';
import { formatTarget } from '~/utils/format';

// --- Listing ------------------------------------------------------------------------

export type NoticeListRow = {
  id: number;
  slug: string;
  title: string;
  revisionNo: number;
  updatedAt: string;
  state: NoticeState;
  opensAt: string | null;
  closesAt: string | null;
  opinions: number;
  answered: number;
  outsidePeriod: number;
};

/** A notice's state: a draft, or where now falls in its comment period. */
export function stateOf(r: { draft: number; opens_at: string | null; closes_at: string | null }, now: Date): NoticeState {
  return r.draft ? 'draft' : periodState({ opensAt: r.opens_at, closesAt: r.closes_at }, now);
}

/** Every notice, drafts included, newest first. */
export async function listNotices(db: DB, now = new Date()): Promise<NoticeListRow[]> {
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('report_revisions as rr', (j) =>
      j.onRef('rr.report_id', '=', 'r.id').on('rr.revision_no', '=', (eb) =>
        eb.selectFrom('report_revisions as x').select((e) => e.fn.max('x.revision_no').as('m')).whereRef('x.report_id', '=', 'r.id'),
      ),
    )
    .select([
      'r.id',
      'r.slug',
      'r.draft',
      'r.opens_at',
      'r.closes_at',
      'rr.title',
      'rr.revision_no',
      'rr.imported_at',
      // Counted without reading the opinions (a million took 3 s): the kept
      // counts per section, the published replies (few) to their opinions,
      // and the partial index of opinions sent outside a period (2026-12-05-0002).
      (eb) =>
        eb
          .selectFrom('opinion_section_counts as c')
          .whereRef('c.report_id', '=', 'r.id')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('c.n'), e.lit(0)).as('n'))
          .as('opinions'),
      (eb) =>
        eb
          .selectFrom('official_replies as rep')
          .innerJoin('opinions as o', 'o.id', 'rep.opinion_id')
          .where('rep.status', '=', 'published')
          .where(sql<number>`+o.report_id`, '=', eb.ref('r.id'))
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('answered'),
      (eb) =>
        eb
          .selectFrom('opinions as o')
          .whereRef('o.report_id', '=', 'r.id')
          .where('o.outside_period', '=', 1)
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('outsidePeriod'),
    ])
    .orderBy('rr.imported_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    title: r.title,
    revisionNo: r.revision_no,
    updatedAt: r.imported_at,
    state: stateOf(r, now),
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    opinions: Number(r.opinions ?? 0),
    answered: Number(r.answered ?? 0),
    outsidePeriod: Number(r.outsidePeriod ?? 0),
  }));
}

// --- One notice -------------------------------------------------------------------

export type PeriodHistoryRow = {
  kind: 'set' | 'extend' | 'close_early';
  at: string;
  opensAt: string | null;
  closesAt: string | null;
  previousClosesAt: string | null;
  reason: string | null;
  actorLabel: string;
};

export type TargetCount = {
  sectionNumber: number;
  itemNumber: number | null;
  label: string;
  count: number;
  outsidePeriod: number;
  /** The revision that removed this section or item, when the latest one no longer has it. */
  removedIn: number | null;
};

export type NoticeDetail = {
  id: number;
  slug: string;
  title: string;
  draft: boolean;
  state: NoticeState;
  revisionNo: number;
  sourceText: string;
  period: CommentPeriod;
  periodHistory: PeriodHistoryRow[];
  /** Every revision, newest first; the first has no changes listed. */
  revisions: RevisionHistoryEntry[];
  targets: TargetCount[];
};

export async function getNoticeDetail(db: DB, reportId: number, now = new Date()): Promise<NoticeDetail | null> {
  const report = await db.selectFrom('reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  if (!report) return null;
  // Per target: every opinion from the opinions_report_tally index alone, those
  // sent outside the period from its partial index (2026-12-05-0002); reading
  // each opinion's row took 4 s at a million.
  const [outlines, history, changes, counts, outside] = await Promise.all([
    listRevisionOutlines(db, reportId),
    listRevisionHistory(db, reportId),
    db.selectFrom('comment_period_changes').selectAll().where('report_id', '=', reportId).orderBy('id', 'desc').execute(),
    db
      .selectFrom('opinions')
      .where('report_id', '=', reportId)
      .select(['section_number', 'item_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['section_number', 'item_number'])
      .orderBy('section_number')
      // The section's own opinions before its items', as SQLite sorts NULL (PostgreSQL would put them last).
      .orderBy('item_number', (ob) => ob.asc().nullsFirst())
      .execute(),
    db
      .selectFrom('opinions')
      .where('report_id', '=', reportId)
      .where('outside_period', '=', 1)
      .select(['section_number', 'item_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['section_number', 'item_number'])
      .execute(),
  ]);
  const outsideOf = new Map(outside.map((o) => [`${o.section_number}-${o.item_number}`, Number(o.n)]));
  const latest = outlines[outlines.length - 1];
  const source = await db
    .selectFrom('report_revisions')
    .select('source_text')
    .where('report_id', '=', reportId)
    .where('revision_no', '=', latest.revisionNo)
    .executeTakeFirstOrThrow();

  const exists = (outline: (typeof outlines)[number]['outline'], s: number, i: number | null) => {
    if (s === 0) return true;
    const section = outline.sections.find((x) => x.number === s);
    return Boolean(section && (i === null || section.items.some((x) => x.number === i)));
  };
  /** The revision after the last one that still had the target. */
  const removedIn = (s: number, i: number | null): number | null => {
    if (exists(latest.outline, s, i)) return null;
    for (let k = outlines.length - 1; k >= 0; k--) if (exists(outlines[k].outline, s, i)) return outlines[k + 1].revisionNo;
    return null;
  };
  const labelOf = (s: number, i: number | null) => {
    for (let k = outlines.length - 1; k >= 0; k--) {
      const section = outlines[k].outline.sections.find((x) => x.number === s);
      const item = section?.items.find((x) => x.number === i);
      if (s === 0 || (section && (i === null || item))) {
        return formatTarget({ sectionNumber: s, sectionTitle: section?.title, itemNumber: i, itemHeading: item?.heading });
      }
    }
    return formatTarget({ sectionNumber: s, itemNumber: i });
  };

  const first = outlines[0];
  return {
    id: report.id,
    slug: report.slug,
    title: latest.outline.title,
    draft: report.draft === 1,
    state: stateOf(report, now),
    revisionNo: latest.revisionNo,
    sourceText: source.source_text,
    period: {
      opensAt: report.opens_at,
      closesAt: report.closes_at,
      officeHours: report.office_hours,
      changes: [],
    },
    periodHistory: changes.map((c) => ({
      kind: c.kind,
      at: c.created_at,
      opensAt: c.opens_at,
      closesAt: c.closes_at,
      previousClosesAt: c.previous_closes_at,
      reason: c.reason,
      actorLabel: c.actor_label,
    })),
    revisions: [...history, { revisionNo: first.revisionNo, importedAt: first.importedAt, changes: [] }],
    targets: counts.map((c) => ({
      sectionNumber: c.section_number,
      itemNumber: c.item_number,
      label: labelOf(c.section_number, c.item_number),
      count: Number(c.n),
      outsidePeriod: outsideOf.get(`${c.section_number}-${c.item_number}`) ?? 0,
      removedIn: removedIn(c.section_number, c.item_number),
    })),
  };
}

/** The slug and latest text of a notice, for the revision form. */
export async function getNoticeForRevision(db: DB, reportId: number) {
  const row = await db
    .selectFrom('reports as r')
    .innerJoin('report_revisions as rr', 'rr.report_id', 'r.id')
    .where('r.id', '=', reportId)
    .select(['r.id', 'r.slug', 'r.draft', 'rr.revision_no', 'rr.title', 'rr.source_text'])
    .orderBy('rr.revision_no', 'desc')
    .executeTakeFirst();
  return row ? { id: row.id, slug: row.slug, draft: row.draft === 1, revisionNo: row.revision_no, title: row.title, sourceText: row.source_text } : null;
}
