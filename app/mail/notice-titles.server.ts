// The notice and section titles a list of opinions needs, read once per
// notice, so that the digest, reminders and escalations name each opinion's
// target the one way (formatTarget).
import type { DB } from '~/server/db.server';
import { getReportContacts, getSectionTitles } from '~/models/reports.server';
import type { Target } from '~/utils/format';

export type NoticeTitles = {
  /** The notice's title. */
  title(reportId: number): string;
  target(o: { reportId: number; sectionNumber: number; itemNumber: number | null }): Target;
};

export async function loadNoticeTitles(db: DB, reportIds: Iterable<number>): Promise<NoticeTitles> {
  const notices = new Map<number, { title: string; sections: Awaited<ReturnType<typeof getSectionTitles>> }>();
  for (const id of new Set(reportIds)) {
    const [contacts, sections] = await Promise.all([getReportContacts(db, id), getSectionTitles(db, id)]);
    notices.set(id, { title: contacts?.title ?? '', sections });
  }
  return {
    title: (reportId) => notices.get(reportId)?.title ?? '',
    target: ({ reportId, sectionNumber, itemNumber }) => {
      const section = notices.get(reportId)?.sections.get(sectionNumber);
      return {
        sectionNumber,
        sectionTitle: sectionNumber === 0 ? null : (section?.title ?? null),
        itemNumber,
        itemHeading: itemNumber === null ? null : (section?.items.get(itemNumber) ?? null),
      };
    },
  };
}
