// Figures for the staff dashboard. Each is one aggregate query.
import { sql } from 'kysely';
import { CHANNELS, isReceivable, RECEIVABLE_CHANNELS, type Channel } from '~/domain/channels';
import { OPINION_STATUSES, type OpinionStatus } from '~/domain/opinion-status';
import { listReportOutlines } from '~/models/report-outlines.server';
import { isPostgres } from '../../db/dialect';
import type { DB } from '~/server/db.server';
import { addDays, localWeekday, toLocalDay } from '~/utils/local-time';
import { countByStatus, countOverdue, listOverdueOpinions, type InboxRow } from './inbox.server';
import { listedSections, median } from './opinion-counts.server';

export type SectionCount = { sectionNumber: number; title: string; count: number };
export type ReportSectionCounts = { reportId: number; slug: string; title: string; sections: SectionCount[] };
export type WeekCount = { weekStart: string; count: number };

export type Dashboard = {
  total: number;
  bySection: ReportSectionCounts[];
  byStatus: Array<{ status: OpinionStatus; count: number }>;
  /** The receivable channels, and any other that holds opinions. */
  byChannel: Array<{ channel: Channel; count: number }>;
  byWeek: WeekCount[];
  /**
   * Median days from receipt to the first publication of a reply (withdrawn
   * later or not: the office did answer then); null when nothing was answered.
   */
  medianDaysToReply: number | null;
  /** Opinions whose official reply is public now. */
  repliedCount: number;
  overdue: InboxRow[];
  overdueCount: number;
};

export const DASHBOARD_WEEKS = 12;
export const OVERDUE_LIST_MAX = 100;

/** Monday (YYYY-MM-DD, Asia/Shanghai) of the week holding `now`, shifted back by `weeksBack`. */
export function shanghaiWeekStart(now: Date, weeksBack = 0): string {
  const sinceMonday = (localWeekday(now) + 6) % 7;
  return addDays(toLocalDay(now), -sinceMonday - weeksBack * 7);
}

async function countBySection(db: DB): Promise<ReportSectionCounts[]> {
  const [rows, reports] = await Promise.all([
    // Kept by triggers (migration 2026-12-02-0003): grouping a million opinions took ~50 ms.
    db.selectFrom('opinion_section_counts').select(['report_id', 'section_number', 'n']).where('n', '>', 0).execute(),
    listReportOutlines(db),
  ]);
  return [...reports]
    .sort((a, b) => a.id - b.id)
    .map((report) => {
      const titles = new Map(report.sections.map((s) => [s.number, s.title]));
      const counts = new Map(rows.filter((r) => r.report_id === report.id).map((r) => [r.section_number, Number(r.n)]));
      return {
        reportId: report.id,
        slug: report.slug,
        title: report.title,
        sections: listedSections(titles.keys(), counts.keys()).map((n) => ({ sectionNumber: n, title: n === 0 ? '通報全体' : (titles.get(n) ?? ''), count: counts.get(n) ?? 0 })),
      };
    });
}

/** Summed from opinion_day_counts (migration 2026-12-06-0002), kept by triggers: a few hundred rows at a million opinions. */
async function countByChannel(db: DB): Promise<Array<{ channel: Channel; count: number }>> {
  const rows = await db
    .selectFrom('opinion_day_counts')
    .select(['channel', (eb) => eb.fn.sum<number>('n').as('n')])
    .groupBy('channel')
    .execute();
  const map = new Map(rows.filter((r) => Number(r.n) > 0).map((r) => [r.channel, Number(r.n)]));
  // The receivable channels in their own order, then any other that holds opinions.
  const shown = [...RECEIVABLE_CHANNELS, ...CHANNELS.filter((channel) => !isReceivable(channel) && map.has(channel))];
  return shown.map((channel) => ({ channel, count: map.get(channel) ?? 0 }));
}

/** Opinions per office week (Monday to Sunday, Asia/Shanghai), the last DASHBOARD_WEEKS, from opinion_day_counts. */
async function countByWeek(db: DB, now: Date): Promise<WeekCount[]> {
  const weeks = Array.from({ length: DASHBOARD_WEEKS }, (_, i) => shanghaiWeekStart(now, DASHBOARD_WEEKS - 1 - i));
  const rows = await db
    .selectFrom('opinion_day_counts')
    .select(['day', (eb) => eb.fn.sum<number>('n').as('n')])
    .where('day', '>=', weeks[0])
    .where('day', '<', addDays(weeks[weeks.length - 1], 7))
    .groupBy('day')
    .execute();
  const counts = weeks.map(() => 0);
  for (const row of rows) {
    // The latest week that starts on or before the day (days are YYYY-MM-DD: they sort as text).
    let i = weeks.length - 1;
    while (i >= 0 && weeks[i] > row.day) i--;
    if (i >= 0) counts[i] += Number(row.n);
  }
  return weeks.map((weekStart, i) => ({ weekStart, count: counts[i] }));
}

async function replyDays(db: DB): Promise<number[]> {
  const rows = await db
    .selectFrom('official_replies as r')
    .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
    .select(
      isPostgres(db)
        ? sql<number>`extract(epoch from r.published_at::timestamptz - o.received_at::timestamptz) / 86400`.as('days')
        : sql<number>`julianday(r.published_at) - julianday(o.received_at)`.as('days'),
    )
    .where('r.published_at', 'is not', null)
    .execute();
  return rows.map((r) => Math.max(0, Number(r.days)));
}

/** Opinions with an official reply that is public now (a withdrawn one does not count). */
async function countPublishedReplies(db: DB): Promise<number> {
  const row = await db
    .selectFrom('official_replies')
    .where('status', '=', 'published')
    .select((eb) => eb.fn.countAll<number>().as('n')) // one reply per opinion (unique opinion_id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function getDashboard(db: DB, now = new Date()): Promise<Dashboard> {
  const nowIso = now.toISOString();
  const [bySection, statusCounts, byChannel, byWeek, days, repliedCount, overdueCount, overdue] = await Promise.all([
    countBySection(db),
    countByStatus(db, {}, nowIso),
    countByChannel(db),
    countByWeek(db, now),
    replyDays(db),
    countPublishedReplies(db),
    countOverdue(db, nowIso),
    listOverdueOpinions(db, OVERDUE_LIST_MAX, nowIso),
  ]);
  const byStatus = OPINION_STATUSES.map((status) => ({ status, count: statusCounts[status] }));
  return {
    total: byStatus.reduce((sum, s) => sum + s.count, 0),
    bySection,
    byStatus,
    byChannel,
    byWeek,
    medianDaysToReply: median(days),
    repliedCount,
    overdue,
    overdueCount,
  };
}
