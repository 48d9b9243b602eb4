// The inbox's filters as SQL over `opinions as o`: one condition, used by the
// list (inbox.server.ts) and the counts (inbox-counts.server.ts).
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { OPEN_STATUSES } from '~/domain/opinion-status';
import type { InboxFilters } from '~/schemas/inbox-filters';
import { addDays, startOfLocalDay } from '~/utils/local-time';
import { NO_SEARCH, searchConditions, type SearchPlan } from './inbox-search.server';

/**
 * The WHERE condition for filters over `opinions as o`, as one SQL expression
 * (usable in any query that has `o`). A keyword search needs its plan
 * (planSearch, inbox-search.server.ts); without one, `q` is ignored.
 */
export function inboxCondition(
  f: Omit<InboxFilters, 'page'>,
  now: string,
  search: SearchPlan = NO_SEARCH,
  options: { countCap?: number; walk?: boolean } = {},
): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (f.reportId !== undefined) parts.push(sql`o.report_id = ${f.reportId}`);
  if (f.section !== undefined) parts.push(sql`o.section_number = ${f.section}`);
  if (f.item !== undefined) parts.push(sql`o.item_number = ${f.item}`);
  if (f.status !== undefined) parts.push(sql`o.status = ${f.status}`);
  if (f.channel !== undefined) parts.push(sql`o.channel = ${f.channel}`);
  if (f.unitId !== undefined) parts.push(sql`o.unit_id = ${f.unitId}`);
  if (f.assigneeId !== undefined) parts.push(sql`o.assignee_id = ${f.assigneeId}`);
  parts.push(...receivedRange(f));
  // `|| ''` keeps the database off the status and deadline indexes (which made it
  // sort every overdue opinion: 3 s at a million): it walks opinions_received,
  // which holds both (migration 2026-12-05-0002), newest first, as the page shows.
  if (f.overdue) parts.push(sql`(o.due_at || '') < ${now} and (o.status || '') in (${sql.join(OPEN_STATUSES)})`);
  parts.push(...searchConditions(search, options));
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`1 = 1`;
}

/** The received-date filters over `o` (Shanghai days; `to` includes its whole day). */
export function receivedRange(f: Pick<InboxFilters, 'from' | 'to'>): RawBuilder<SqlBool>[] {
  const parts: RawBuilder<SqlBool>[] = [];
  if (f.from !== undefined) parts.push(sql<SqlBool>`o.received_at >= ${startOfLocalDay(f.from)}`);
  if (f.to !== undefined) parts.push(sql<SqlBool>`o.received_at < ${startOfLocalDay(addDays(f.to, 1))}`);
  return parts;
}

/** True when any filter narrows the inbox (page does not count). */
export function hasInboxFilters(filters: InboxFilters): boolean {
  return Object.entries(filters).some(([k, v]) => k !== 'page' && v !== undefined && v !== false);
}
