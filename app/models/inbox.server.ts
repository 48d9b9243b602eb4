// The staff inbox: every opinion from every channel, filtered, searched and paged.
import { sql } from 'kysely';
import type { Channel } from '../../db/schema';
import { INBOX_PAGE_SIZE, type InboxFilters } from '~/schemas/inbox-filters';
import type { DB } from '~/server/db.server';
import { excerptParts, highlightParts, searchTerms, type TextPart } from '~/utils/highlight';
import { isOverdue, OPEN_STATUSES, type OpinionStatus } from '~/domain/opinion-status';
import { countStatuses, FILTERED_COUNT_CAP, type InboxCounts } from './inbox-counts.server';
import { inboxCondition, receivedRange } from './inbox-filter.server';
import {
  amongMatches,
  indexedMatchesBelow,
  NEWEST_FIRST_ROUNDS,
  newestFirst,
  newestFirstChunk,
  planSearch,
  walkable,
  walkBudget,
  type SearchPlan,
} from './inbox-search.server';

export type { InboxFilters } from '~/schemas/inbox-filters';

export { INBOX_PAGE_SIZE };

export { FTS_MIN_CHARS, ftsPhrase } from './inbox-search.server';

// The counts and the filter condition have modules of their own; callers know them by this one.
export { countByStatus, countInbox, countMatching, countOverdue, FILTERED_COUNT_CAP, type InboxCounts } from './inbox-counts.server';
export { hasInboxFilters } from './inbox-filter.server';

export type InboxRow = {
  id: number;
  trackingNumber: string;
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  channel: Channel;
  status: OpinionStatus;
  receivedAt: string;
  /** Received outside the notice's comment period (期間外). */
  outsidePeriod: boolean;
  dueAt: string;
  overdue: boolean;
  name: string | null;
  body: string;
  unitName: string | null;
  assigneeName: string | null;
  highlights: { body: TextPart[]; name: TextPart[]; trackingNumber: TextPart[] };
};

export type InboxPage = { rows: InboxRow[]; page: number; hasNext: boolean };

function inboxSelect(db: DB) {
  return db
    .selectFrom('opinions as o')
    .leftJoin('units as u', 'u.id', 'o.unit_id')
    .leftJoin('users as a', 'a.id', 'o.assignee_id')
    .select([
      'o.id',
      'o.tracking_number',
      'o.report_id',
      'o.section_number',
      'o.item_number',
      'o.channel',
      'o.status',
      'o.received_at',
      'o.outside_period',
      'o.due_at',
      'o.name',
      'o.body',
      'u.name as unit_name',
      'a.display_name as assignee_name',
    ]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof inboxSelect>['execute']>>[number];

function toExportRow(r: RawRow, now: string): InboxExportRow {
  return {
    id: r.id,
    trackingNumber: r.tracking_number,
    reportId: r.report_id,
    sectionNumber: r.section_number,
    itemNumber: r.item_number,
    channel: r.channel,
    status: r.status,
    receivedAt: r.received_at,
    outsidePeriod: Number(r.outside_period) === 1,
    dueAt: r.due_at,
    overdue: isOverdue(r.due_at, r.status, now),
    name: r.name,
    body: r.body,
    unitName: r.unit_name,
    assigneeName: r.assignee_name,
  };
}

function toInboxRow(r: RawRow, terms: string[], now: string): InboxRow {
  return {
    ...toExportRow(r, now),
    highlights: {
      body: excerptParts(r.body, terms),
      name: highlightParts(r.name ?? '', terms),
      trackingNumber: highlightParts(r.tracking_number, terms),
    },
  };
}

/** One page of the inbox, newest first (received_at desc, id desc). */
export async function listOpinions(db: DB, filters: InboxFilters, now = new Date().toISOString()): Promise<InboxPage> {
  return listPage(db, filters, now, await planSearch(db, filters.q));
}

/**
 * The inbox as its page shows it: one page of opinions and the counts per
 * status of the same filters (status and page aside; see countInbox). The
 * keyword search is planned once for both.
 */
export async function readInbox(
  db: DB,
  filters: InboxFilters,
  now = new Date().toISOString(),
): Promise<{ page: InboxPage } & InboxCounts> {
  const search = await planSearch(db, filters.q);
  const { status: _status, page: _page, ...rest } = filters;
  const [page, counts] = await Promise.all([listPage(db, filters, now, search), countStatuses(db, rest, now, FILTERED_COUNT_CAP, search)]);
  return { page, ...counts };
}

async function listPage(db: DB, filters: InboxFilters, now: string, search: SearchPlan): Promise<InboxPage> {
  const page = filters.page ?? 1;
  const need = page * INBOX_PAGE_SIZE + 1;
  const rows =
    (walkable(search, need) ? await walkPage(db, filters, now, search, need) : null) ??
    (newestFirst(search) ? await newestMatchesPage(db, filters, now, search, need) : null) ??
    (await pageRows(db, filters, now, search));
  const terms = searchTerms(filters.q);
  return {
    rows: rows.slice(0, INBOX_PAGE_SIZE).map((r) => toInboxRow(r, terms, now)),
    page,
    hasNext: rows.length > INBOX_PAGE_SIZE,
  };
}

function pageRows(db: DB, filters: InboxFilters, now: string, search: SearchPlan, options: { walk?: boolean; from?: InboxCursor } = {}) {
  let q = inboxSelect(db).where(inboxCondition(filters, now, search, { walk: options.walk }));
  if (options.from) q = q.where(sql<boolean>`(o.received_at, o.id) >= (${options.from.receivedAt}, ${options.from.id})`);
  return q
    .orderBy('o.received_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(INBOX_PAGE_SIZE + 1)
    .offset(((filters.page ?? 1) - 1) * INBOX_PAGE_SIZE)
    .execute();
}

/**
 * The page read by walking the newest opinions (see walkable), no further
 * than the budget's oldest one; null when the page's end was not found within
 * it (the matches lie less densely among the newest than among the ids).
 */
async function walkPage(db: DB, filters: InboxFilters, now: string, search: SearchPlan, need: number): Promise<RawRow[] | null> {
  const floor = await db
    .selectFrom('opinions')
    .select(['received_at', 'id'])
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .offset(walkBudget(search, need) - 1)
    .executeTakeFirst();
  const rows = await pageRows(db, filters, now, search, { walk: true, from: floor ? { receivedAt: floor.received_at, id: floor.id } : undefined });
  return rows.length > INBOX_PAGE_SIZE || !floor ? rows : null;
}

type Dated = { id: number; received_at: string };

/** The inbox's order: received_at, then id, newest first. */
const newestFirstOrder = (a: Dated, b: Dated) => (a.received_at === b.received_at ? b.id - a.id : a.received_at < b.received_at ? 1 : -1);

/**
 * The page found by reading the search's indexed matches newest id first (in
 * rounds of four times the page's end, then twice as many each round, the
 * opinions not indexed yet with the first), each only for its date and the
 * filters, instead of materialising every match: for when the newest
 * opinions are about something else (a burst on another subject) and the
 * walk gives up (decision 013). It stops as soon as no match left unread can
 * come before the page's end: each has a smaller id than every match read, so
 * it was received no later than the latest `received_at` (within the filters'
 * dates) among the opinions below that id, which opinions_received gives by
 * reading down from the newest. Null when four rounds prove nothing, or at
 * once when an opinion below the matches read was received after all of them
 * (dates that do not follow the ids, as an import's or the bench's seed's:
 * more rounds would not help).
 */
export async function newestMatchesPage(db: DB, filters: InboxFilters, now: string, search: SearchPlan, need: number): Promise<RawRow[] | null> {
  const { q: _q, page: _page, ...rest } = filters;
  const found: Dated[] = [];
  // Rounds are separate statements: one the indexer took from the queue in between is read once.
  const seen = new Set<number>();
  // The bound within the filters' dates, which opinions_received holds as well.
  const dates = receivedRange(rest);
  let below: number | null = null;
  for (let round = 0; round < NEWEST_FIRST_ROUNDS; round++) {
    const chunk = newestFirstChunk(need) << round;
    const ids = await indexedMatchesBelow(db, search, below, chunk);
    const dated = await db
      .selectFrom('opinions as o')
      .select(['o.id', 'o.received_at'])
      .where(inboxCondition(rest, now))
      .where(amongMatches(search, ids, round === 0))
      .execute();
    for (const row of dated) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      found.push(row);
    }
    found.sort(newestFirstOrder);
    // Every match read.
    if (ids.length < chunk) return pageOf(db, found, filters);
    below = ids[ids.length - 1];
    // Unary +: read down opinions_received (which holds the id too), not up the ids with a sort.
    const latest = await sql<{ received_at: string }>`select o.received_at from opinions o
      where ${sql.join([sql`+o.id < ${below}`, ...dates], sql` and `)}
      order by o.received_at desc, o.id desc limit 1`.execute(db);
    const latestBelow = latest.rows[0]?.received_at;
    if (latestBelow === undefined) return pageOf(db, found, filters);
    // A match unread comes after the page's end: received earlier, or at the same moment with a smaller id.
    const end = found[need - 1];
    if (end && (end.received_at > latestBelow || (end.received_at === latestBelow && end.id >= below))) return pageOf(db, found, filters);
    if (found.length > 0 && latestBelow > found[0].received_at) return null;
  }
  return null;
}

/** The rows of the page (and the one after it, for hasNext) out of `found`, in the inbox's order. */
async function pageOf(db: DB, found: Dated[], filters: InboxFilters): Promise<RawRow[]> {
  const start = ((filters.page ?? 1) - 1) * INBOX_PAGE_SIZE;
  const ids = found.slice(start, start + INBOX_PAGE_SIZE + 1).map((r) => r.id);
  if (ids.length === 0) return [];
  return inboxSelect(db).where('o.id', 'in', ids).orderBy('o.received_at', 'desc').orderBy('o.id', 'desc').execute();
}

/** Where a batch ended, for keyset paging through a long result (the CSV export). */
export type InboxCursor = { receivedAt: string; id: number };

/** An inbox row without its highlights: what the CSV export writes. */
export type InboxExportRow = Omit<InboxRow, 'highlights'>;

/**
 * Up to `limit` matching opinions after `cursor`, newest first, without page
 * offsets (keyset on the opinions_received index), and without the work of
 * highlighting: the CSV export reads 100,000 of them.
 */
export async function listOpinionsAfter(
  db: DB,
  filters: Omit<InboxFilters, 'page'>,
  cursor: InboxCursor | null,
  limit: number,
  now = new Date().toISOString(),
): Promise<InboxExportRow[]> {
  let q = inboxSelect(db).where(inboxCondition(filters, now, await planSearch(db, filters.q)));
  if (cursor) q = q.where(sql<boolean>`(o.received_at, o.id) < (${cursor.receivedAt}, ${cursor.id})`);
  const rows = await q.orderBy('o.received_at', 'desc').orderBy('o.id', 'desc').limit(limit).execute();
  return rows.map((r) => toExportRow(r, now));
}

/** Open opinions past their deadline, the longest overdue first (dashboard). */
export async function listOverdueOpinions(db: DB, limit: number, now = new Date().toISOString()): Promise<InboxRow[]> {
  // The most overdue of each open status in the index's order (status, due_at, id),
  // then the first `limit` of those: with "status in (…)" the database sorted
  // every overdue opinion first (2.3 s at a million).
  const [first, ...rest] = OPEN_STATUSES.map((status) =>
    db
      .selectFrom(
        db.selectFrom('opinions').select('id').where('status', '=', status).where('due_at', '<', now).orderBy('due_at').orderBy('id').limit(limit).as('q'),
      )
      .select('q.id'),
  );
  const oldest = rest.reduce((union, q) => union.unionAll(q), first);
  const rows = await inboxSelect(db)
    .where('o.id', 'in', db.selectFrom(oldest.as('ids')).select('ids.id'))
    .orderBy('o.due_at')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((r) => toInboxRow(r, [], now));
}
