// What an opinion can be about: a report's outline (sections, items and the
// office's channels), checked and named for every opinion.
import { getReportContacts, getReportPage, type ReportSection } from '~/models/reports.server';
import type { DB } from '~/server/db.server';
import type { TFunction } from 'i18next';
import type { Language } from '../../db/schema';

export type ReportOutline = {
  reportId: number;
  slug: string;
  title: string;
  phone: string;
  mailbox: string;
  /** Who issued the notice: the sender of a printed acknowledgement. */
  issuer: string;
  sections: ReportSection[];
  /** The revision the sections are from, and the language the notice was published in. */
  revisionId: number;
  language: Language;
};

// Every opinion needs the report's sections and channels; they change only
// when a notice is re-imported, so a few seconds of caching saves two queries
// per request under load. Keyed per database so tests stay isolated.
const OUTLINE_TTL_MS = 5_000;
const outlineCache = new WeakMap<DB, Map<string, { at: number; outline: ReportOutline | null }>>();

async function cachedOutline(
  db: DB,
  key: string,
  load: () => Promise<ReportOutline | null>
): Promise<ReportOutline | null> {
  let cache = outlineCache.get(db);
  if (!cache) outlineCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < OUTLINE_TTL_MS) return hit.outline;
  const outline = await load();
  if (cache.size > 1000) cache.clear();
  cache.set(key, { at: Date.now(), outline });
  return outline;
}

/** The sections, items and published channels of a report, by slug. */
export function getReportOutline(db: DB, slug: string): Promise<ReportOutline | null> {
  return cachedOutline(db, `slug:${slug}`, async () => {
    const page = await getReportPage(db, slug);
    return page
      ? {
          reportId: page.id,
          slug: page.slug,
          title: page.title,
          phone: page.phone,
          mailbox: page.mailbox,
          issuer: page.issuer,
          sections: page.sections,
          revisionId: page.revisionId,
          language: page.language,
        }
      : null;
  });
}

/** The same, by report id. */
export async function getReportOutlineById(db: DB, reportId: number): Promise<ReportOutline | null> {
  return cachedOutline(db, `id:${reportId}`, async () => {
    const contacts = await getReportContacts(db, reportId);
    return contacts ? getReportOutline(db, contacts.slug) : null;
  });
}

/** Why a section/item is not in the notice (null: it is), in the reader's language when `t` (reports namespace) is given. */
export function checkOpinionTarget(outline: ReportOutline, sectionNumber: number, itemNumber: number | null, t?: TFunction): string | null {
  if (sectionNumber === 0) return itemNumber === null ? null : t ? t('submit.targetWholeNoItem') : '通報全体への意見では小項目を選べません。';
  const section = outline.sections.find((s) => s.number === sectionNumber);
  if (!section) return t ? t('submit.targetNoSection', { n: sectionNumber }) : `この通報に第${sectionNumber}項はありません。ページを読み込み直してください。`;
  if (itemNumber !== null && !section.items.some((i) => i.number === itemNumber)) {
    return t ? t('submit.targetNoItem') : 'この項目に、選ばれた小項目はありません。一覧から選び直してください。';
  }
  return null;
}

export class OpinionTargetError extends Error {}

export function sectionTitle(outline: ReportOutline, n: number): string {
  return n === 0 ? '通報全体' : outline.sections.find((s) => s.number === n)?.title ?? '';
}

export function itemHeading(outline: ReportOutline, section: number, item: number | null): string | null {
  if (item === null) return null;
  return outline.sections.find((s) => s.number === section)?.items.find((i) => i.number === item)?.heading ?? null;
}

/** An opinion's section and item, named from its notice (no titles when the notice is gone). */
export function opinionTarget(outline: ReportOutline, sectionNumber: number, itemNumber: number | null): NamedTarget;
export function opinionTarget(
  outline: ReportOutline | null | undefined,
  sectionNumber: number,
  itemNumber: number | null
): Target;
export function opinionTarget(
  outline: ReportOutline | null | undefined,
  sectionNumber: number,
  itemNumber: number | null
): Target {
  return {
    sectionNumber,
    sectionTitle: outline ? sectionTitle(outline, sectionNumber) : null,
    itemNumber,
    itemHeading: outline ? itemHeading(outline, sectionNumber, itemNumber) : null,
  };
}

type NamedTarget = {
  sectionNumber: number;
  sectionTitle: string;
  itemNumber: number | null;
  itemHeading: string | null;
};
type Target = {
  sectionNumber: number;
  sectionTitle: string | null;
  itemNumber: number | null;
  itemHeading: string | null;
};
