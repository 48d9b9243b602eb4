// The report page's data in the reader's language: the notice's text (its
// stored translation, or the original with a note where there is none), the
// comment period worded, the latest replies and counts per section, and the
// revision history. The loader's data is sent twice (as the HTML and as
// hydration data), so ids and bookkeeping the page never shows stay here.
import type { TFunction } from 'i18next';
import type { PeriodView } from '~/components/period-notice';
import { closedMessage, describeChange, describeDaysLeft, describePeriod, isAcceptingOpinions, type Wording } from '~/domain/comment-period';
import type { TranslatedNotice } from '~/domain/notice-translation.server';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import type { DB } from '~/server/db.server';
import { getNoticeTranslation } from './notice-translations.server';
import { countRepliesBySection, listLatestRepliesBySection } from './replies-public.server';
import { listRevisionHistory, type ReportPage } from './reports.server';
import { wordRevisionChange } from '~/domain/notice-diff';

/** What the page renders of the report, in the translation when there is one. */
function shownReport(report: ReportPage, translation: TranslatedNotice | null) {
  const tr = translation;
  return {
    slug: report.slug,
    title: tr?.title ?? report.title,
    breadcrumb: report.breadcrumb,
    publishedAt: report.publishedAt,
    sourceOffice: tr?.sourceOffice ?? report.sourceOffice,
    intro: tr ? tr.intro : report.intro,
    summary: tr?.summary ?? report.summary,
    // The translation lines up with the revision number for number (checked at import).
    sections: tr ? tr.sections : report.sections,
    nextSteps: tr ? tr.nextSteps : report.nextSteps,
    closing: tr?.closing ?? report.closing,
    phone: report.phone,
    mailbox: tr?.mailbox ?? report.mailbox,
    issuer: tr?.issuer ?? report.issuer,
    issuedOn: report.issuedOn,
  };
}

/** The period worded on the server at render time (the page cache re-renders when a bound passes or the day changes). */
function periodView(report: ReportPage, now: Date, w: Wording): PeriodView {
  const p = report.period;
  return {
    line: describePeriod(p, w),
    daysLeft: describeDaysLeft(p, now, w),
    changes: p.changes.map((c) => describeChange(c, w)),
    closed: isAcceptingOpinions(p, now) ? null : closedMessage(p, now, w),
    // Notice text (the office's own hours), in the notice's language; null: the portal's wording.
    officeHours: p.officeHours,
  };
}

/** Everything the report page shows but its view count and form token, in language `lng` (t speaks it). */
export async function loadReportView(db: DB, report: ReportPage, lng: Language, t: TFunction, now = new Date()) {
  const [latest, counts, history, translation] = await Promise.all([
    listLatestRepliesBySection(db, report.id),
    countRepliesBySection(db, report.id),
    listRevisionHistory(db, report.id),
    lng === report.language ? null : getNoticeTranslation(db, report.revisionId, lng),
  ]);
  const shown = shownReport(report, translation);
  return {
    report: shown,
    replies: Object.fromEntries(latest),
    replyCounts: Object.fromEntries(counts),
    period: periodView(report, now, { t, locale: INTL_LOCALES[lng] }),
    revisions: history.map((r) => ({ ...r, changes: r.changes.map((c) => wordRevisionChange(c, t)) })),
    notice: {
      /** The language of the notice text on this page (lang attributes). */
      lang: (translation ? lng : report.language) as Language,
      /** The page's language lacks a translation: the original is shown with a note. */
      untranslated: lng !== report.language && !translation,
      original: report.language,
    },
    pageTitle: t('common:site.pageTitle', { title: shown.title }),
  };
}
