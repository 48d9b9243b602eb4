// How many opinions the inbox holds per status, overdue, or matching a filter,
// without ever counting a million rows (caps, and the counts triggers keep).
import type { InboxFilters } from '~/schemas/inbox-filters';
import type { DB } from '~/server/db.server';
import { OPEN_STATUSES, OPINION_STATUSES, type OpinionStatus } from '~/domain/opinion-status';
import { hasInboxFilters, inboxCondition } from './inbox-filter.server';
import { planSearch, SEARCH_COUNT_CAP, searchCountCapped, type SearchPlan } from './inbox-search.server';

/** True when no filter at all is set (page and status aside). */
function unfiltered(filters: Omit<InboxFilters, 'page' | 'status'>): boolean {
  return !hasInboxFilters({ ...filters, status: undefined });
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
export async function countStatuses(
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
