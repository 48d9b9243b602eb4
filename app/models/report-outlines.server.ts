// Every published report with its sections and items, for the staff console's
// choices (filters, recording an opinion).
import { getReportPage, listReports, type ReportSection } from '~/models/reports.server';
import type { DB } from '~/server/db.server';

export type ReportOutlineChoice = { id: number; slug: string; title: string; sections: ReportSection[] };

export async function listReportOutlines(db: DB): Promise<ReportOutlineChoice[]> {
  const reports = await listReports(db);
  const pages = await Promise.all(reports.map((r) => getReportPage(db, r.slug)));
  return pages
    .filter((p) => p !== null)
    .map((p) => ({
      id: p.id,
      slug: p.slug,
      title: p.title,
      // Bodies are not needed for a choice list; keep the payload small.
      sections: p.sections.map((s) => ({ number: s.number, title: s.title, items: s.items.map((i) => ({ ...i, body: '' })) })),
    }));
}
