// The staff inbox: every opinion from every channel, filtered, searched and paged.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Channel } from '../../db/schema';
import { INBOX_PAGE_SIZE, type InboxFilters } from '~/schemas/inbox-filters';
import type { DB } from '~/server/db.server';
import { excerptParts, highlightParts, searchTerms, type TextPart } from '~/utils/highlight';
import { NO_SEARCH, planSearch, SEARCH_COUNT_CAP, searchConditions, searchCountCapped, type SearchPlan } from './inbox-search.server';
import { addDays, startOfLocalDay } from '~/utils/local-time';
import { isOverdue, OPEN_STATUSES, OPINION_STATUSES, type OpinionStatus } from '~/domain/opinion-status';

export type { InboxFilters } from '~/schemas/inbox-filters';

export { INBOX_PAGE_SIZE };

export { FTS_MIN_CHARS, ftsPhrase } from './inbox-search.server';

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

/**
 * The WHERE condition for filters over `opinions as o`, as one SQL expression
 * (usable in any query that has `o`). A keyword search needs its plan
 * (planSearch, inbox-search.server.ts); without one, `q` is ignored.
 */
export function inboxCondition(
  f: Omit<InboxFilters, 'page'>,
  now: string,
  search: SearchPlan = NO_SEARCH,
  options: { countCap?: number } = {},
): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.reportId !== undefined) parts.push(sql`o.report_id = ${f.reportId}`);
  if (f.section !== undefined) parts.push(sql`o.section_number = ${f.section}`);
  if (f.item !== undefined) parts.push(sql`o.item_number = ${f.item}`);
  if (f.status !== undefined) parts.push(sql`o.status = ${f.status}`);
  if (f.channel !== undefined) parts.push(sql`o.channel = ${f.channel}`);
  if (f.unitId !== undefined) parts.push(sql`o.unit_id = ${f.unitId}`);
  if (f.assigneeId !== undefined) parts.push(sql`o.assignee_id = ${f.assigneeId}`);
  // Days are Shanghai days; `to` includes its whole day.
  if (f.from !== undefined) parts.push(sql`o.received_at >= ${startOfLocalDay(f.from)}`);
  if (f.to !== undefined) parts.push(sql`o.received_at < ${startOfLocalDay(addDays(f.to, 1))}`);
  if (f.overdue) parts.push(sql`o.due_at < ${now} and o.status in (${sql.join(OPEN_STATUSES)})`);
  parts.push(...searchConditions(search, options));
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`1 = 1`;
}

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
  const rows = await inboxSelect(db)
    .where(inboxCondition(filters, now, search))
    .orderBy('o.received_at', 'desc')
    .orderBy('o.id', 'desc')
    .limit(INBOX_PAGE_SIZE + 1)
    .offset((page - 1) * INBOX_PAGE_SIZE)
    .execute();
  const terms = searchTerms(filters.q);
  return {
    rows: rows.slice(0, INBOX_PAGE_SIZE).map((r) => toInboxRow(r, terms, now)),
    page,
    hasNext: rows.length > INBOX_PAGE_SIZE,
  };
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

/** True when no filter at all is set (page and status aside). */
function unfiltered(filters: Omit<InboxFilters, 'page' | 'status'>): boolean {
  return Object.entries(filters).every(([k, v]) => k === 'status' || k === 'page' || v === undefined || v === false);
}

/** Counts per status of a filtered view stop after this many opinions (read from an index each). */
export const FILTERED_COUNT_CAP = 5_000;

export type InboxCounts = {
  counts: Record<OpinionStatus, number>;
  /** The counts stopped at a cap: each is at least what it says (show it as 「…件以上」). */
  capped: boolean;
};

/**
 * How many opinions match (status and page ignored), per status, without ever
 * counting a million rows: the whole inbox from the counts the triggers keep
 * (opinion_counts); a filtered view up to FILTERED_COUNT_CAP opinions; a
 * search up to SEARCH_COUNT_CAP matches.
 */
export async function countInbox(
  db: DB,
  filters: Omit<InboxFilters, 'page' | 'status'> = {},
  now = new Date().toISOString(),
  filteredCap = FILTERED_COUNT_CAP,
): Promise<InboxCounts> {
  return countStatuses(db, filters, now, filteredCap, null);
}

/** countInbox with the search planned already (null: plan it if the counts need it). */
async function countStatuses(
  db: DB,
  filters: Omit<InboxFilters, 'page' | 'status'>,
  now: string,
  filteredCap: number,
  planned: SearchPlan | null,
): Promise<InboxCounts> {
  const counts = Object.fromEntries(OPINION_STATUSES.map((s) => [s, 0])) as Record<OpinionStatus, number>;
  if (unfiltered(filters)) {
    const rows = await db
      .selectFrom('opinion_counts')
      .select(['status', (eb) => eb.fn.sum<number>('n').as('n')])
      .groupBy('status')
      .execute();
    for (const r of rows) counts[r.status] = Number(r.n);
    return { counts, capped: false };
  }
  const search = planned ?? (await planSearch(db, filters.q));
  const searching = search.parts.length > 0;
  const cap = searching ? undefined : filteredCap;
  const condition = inboxCondition({ ...filters, status: undefined }, now, search, searching ? { countCap: SEARCH_COUNT_CAP + 1 } : {});
  let matching = db.selectFrom('opinions as o').where(condition).select('o.status');
  if (cap !== undefined) matching = matching.limit(cap + 1);
  const rows = await db
    .selectFrom(matching.as('m'))
    .select(['m.status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('m.status')
    .execute();
  let total = 0;
  for (const r of rows) {
    counts[r.status] = Number(r.n);
    total += Number(r.n);
  }
  return { counts, capped: searching ? searchCountCapped(search) : total > cap! };
}

/** countInbox's counts alone (exact without filters; see countInbox for the caps). */
export async function countByStatus(
  db: DB,
  filters: Omit<InboxFilters, 'page' | 'status'> = {},
  now = new Date().toISOString(),
): Promise<Record<OpinionStatus, number>> {
  return (await countInbox(db, filters, now)).counts;
}

/**
 * Opinions past their due date and still open. Whole due days before today
 * (UTC) come from opinion_counts; only today's are counted from the
 * opinions_status_due index.
 */
export async function countOverdue(db: DB, now = new Date().toISOString()): Promise<number> {
  const today = now.slice(0, 10);
  const [past, sameDay] = await Promise.all([
    db
      .selectFrom('opinion_counts')
      .where('status', 'in', OPEN_STATUSES)
      .where('due_day', '<', today)
      .select((eb) => eb.fn.sum<number>('n').as('n'))
      .executeTakeFirst(),
    db
      .selectFrom('opinions as o')
      .where('o.status', 'in', OPEN_STATUSES)
      .where('o.due_at', '>=', today)
      .where('o.due_at', '<', now)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return Number(past?.n ?? 0) + Number(sameDay.n);
}

/**
 * How many opinions match the filters, counting no further than `cap` so that
 * a broad search stays cheap; `capped` says the true number is larger.
 */
export async function countMatching(
  db: DB,
  filters: Omit<InboxFilters, 'page'>,
  cap = 10_000,
  now = new Date().toISOString(),
): Promise<{ count: number; capped: boolean }> {
  const inner = db
    .selectFrom('opinions as o')
    .where(inboxCondition(filters, now, await planSearch(db, filters.q)))
    .select('o.id')
    .limit(cap + 1);
  const row = await db
    .selectFrom(inner.as('m'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const n = Number(row.n);
  return { count: Math.min(n, cap), capped: n > cap };
}

/** True when any filter narrows the inbox (page does not count). */
export function hasInboxFilters(filters: InboxFilters): boolean {
  return Object.entries(filters).some(([k, v]) => k !== 'page' && v !== undefined && v !== false);
}

/** Open opinions past their deadline, the longest overdue first (dashboard). */
export async function listOverdueOpinions(db: DB, limit: number, now = new Date().toISOString()): Promise<InboxRow[]> {
  const rows = await inboxSelect(db)
    .where('o.due_at', '<', now)
    .where('o.status', 'in', OPEN_STATUSES)
    .orderBy('o.due_at')
    .orderBy('o.id')
    .limit(limit)
    .execute();
  return rows.map((r) => toInboxRow(r, [], now));
}
