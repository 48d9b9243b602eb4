// Figures for the staff dashboard. Each is one aggregate query.
import { sql } from 'kysely';
import type { Channel, OpinionStatus } from '../../db/schema';
import { CHANNELS, OPINION_STATUSES } from '../../db/schema';
import { getSectionTitles } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import { countByStatus, countOverdue, listOverdueOpinions, type InboxRow } from './inbox.server';

export type SectionCount = { sectionNumber: number; title: string; count: number };
export type ReportSectionCounts = { reportId: number; slug: string; title: string; sections: SectionCount[] };
export type WeekCount = { weekStart: string; count: number };

export type Dashboard = {
  total: number;
  bySection: ReportSectionCounts[];
  byStatus: Array<{ status: OpinionStatus; count: number }>;
  byChannel: Array<{ channel: Channel; count: number }>;
  byWeek: WeekCount[];
  /** Median days from receipt to the first published reply; null when nothing has been answered. */
  medianDaysToReply: number | null;
  repliedCount: number;
  overdue: InboxRow[];
  overdueCount: number;
};

export const DASHBOARD_WEEKS = 12;
export const OVERDUE_LIST_MAX = 100;

/** Monday (YYYY-MM-DD, Asia/Shanghai) of the week holding `now`, shifted back by `weeksBack`. */
export function shanghaiWeekStart(now: Date, weeksBack = 0): string {
  const local = new Date(now.getTime() + 8 * 3600_000);
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  local.setUTCDate(local.getUTCDate() - weekday - weeksBack * 7);
  return local.toISOString().slice(0, 10);
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function countBySection(db: DB): Promise<ReportSectionCounts[]> {
  const [rows, reports] = await Promise.all([
    db
      .selectFrom('opinions')
      .select(['report_id', 'section_number', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['report_id', 'section_number'])
      .execute(),
    db
      .selectFrom('reports as r')
      .innerJoin('report_revisions as rr', 'rr.report_id', 'r.id')
      .select(['r.id', 'r.slug', 'rr.title'])
      .where(({ eb, selectFrom }) =>
        eb(
          'rr.revision_no',
          '=',
          selectFrom('report_revisions as x').select((e) => e.fn.max('x.revision_no').as('m')).whereRef('x.report_id', '=', 'r.id'),
        ),
      )
      .orderBy('r.id')
      .execute(),
  ]);
  const result: ReportSectionCounts[] = [];
  for (const report of reports) {
    const titles = await getSectionTitles(db, report.id);
    const counts = new Map(rows.filter((r) => r.report_id === report.id).map((r) => [r.section_number, Number(r.n)]));
    const numbers = [...new Set([...titles.keys(), ...counts.keys()])].sort((a, b) => a - b);
    // The notice as a whole (0) is listed last, after its numbered sections.
    const ordered = [...numbers.filter((n) => n !== 0), 0];
    result.push({
      reportId: report.id,
      slug: report.slug,
      title: report.title,
      sections: ordered.map((n) => ({ sectionNumber: n, title: n === 0 ? '通報全体' : (titles.get(n)?.title ?? ''), count: counts.get(n) ?? 0 })),
    });
  }
  return result;
}

async function countByChannel(db: DB): Promise<Array<{ channel: Channel; count: number }>> {
  const rows = await db.selectFrom('opinions').select(['channel', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('channel').execute();
  const map = new Map(rows.map((r) => [r.channel, Number(r.n)]));
  return CHANNELS.map((channel) => ({ channel, count: map.get(channel) ?? 0 }));
}

async function countByWeek(db: DB, now: Date): Promise<WeekCount[]> {
  const first = shanghaiWeekStart(now, DASHBOARD_WEEKS - 1);
  // Shift to China Standard Time, then to the Monday of that week.
  const week = sql<string>`date(received_at, '+8 hours', 'weekday 0', '-6 days')`;
  const rows = await db
    .selectFrom('opinions')
    .select([week.as('week'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('received_at', '>=', new Date(`${first}T00:00:00+08:00`).toISOString())
    .groupBy(week)
    .execute();
  const map = new Map(rows.map((r) => [r.week, Number(r.n)]));
  return Array.from({ length: DASHBOARD_WEEKS }, (_, i) => {
    const weekStart = shanghaiWeekStart(now, DASHBOARD_WEEKS - 1 - i);
    return { weekStart, count: map.get(weekStart) ?? 0 };
  });
}

async function replyDays(db: DB): Promise<number[]> {
  const rows = await db
    .selectFrom('official_replies as r')
    .innerJoin('opinions as o', 'o.id', 'r.opinion_id')
    .select(sql<number>`julianday(r.published_at) - julianday(o.received_at)`.as('days'))
    .where('r.published_at', 'is not', null)
    .execute();
  return rows.map((r) => Math.max(0, Number(r.days)));
}

export async function getDashboard(db: DB, now = new Date()): Promise<Dashboard> {
  const nowIso = now.toISOString();
  const [bySection, statusCounts, byChannel, byWeek, days, overdueCount, overdue] = await Promise.all([
    countBySection(db),
    countByStatus(db, {}, nowIso),
    countByChannel(db),
    countByWeek(db, now),
    replyDays(db),
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
    repliedCount: days.length,
    overdue,
    overdueCount,
  };
}
