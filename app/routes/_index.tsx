import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { listReports } from '~/models/reports.server';
import { getDb } from '~/server/db.server';
import { formatDateTime } from '~/utils/local-time';
import { describePeriod, periodState, periodStateLabel } from '~/domain/comment-period';
import { INTL_LOCALES } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getNoticeTranslation } from '~/models/notice-translations.server';

export const handle = { i18n: ['reports'] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.meta.title },
        { name: 'description', content: data.meta.description },
      ]
    : [];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const now = new Date();
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  const w = { t, locale: INTL_LOCALES[lng] };
  const db = getDb();
  const reports = await listReports(db);
  // A notice's title in the reader's language where it has that translation.
  const translations = await Promise.all(reports.map((r) => (r.language === lng ? null : getNoticeTranslation(db, r.revisionId, lng))));
  // The state is worded on the server: a page rendered at another time must not disagree.
  const page = {
    meta: { title: t('site.pageTitle', { title: t('index.title') }), description: t('index.description') },
    locale: w.locale,
    reports: reports.map((r, i) => {
      const tr = translations[i];
      return {
        slug: r.slug,
        title: tr?.title ?? r.title,
        sourceOffice: tr?.sourceOffice ?? r.sourceOffice,
        language: tr ? lng : r.language,
        publishedAt: r.publishedAt,
        state: periodStateLabel(periodState(r, now), w),
        period: describePeriod(r, w),
      };
    }),
  };
  // The page cache sends these bytes to every reader of this language (decision
  // 015): this header tells it the list was rendered, not the root alone.
  return context.renderForCache ? data(page, { headers: { 'x-cached-page': 'list' } }) : page;
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export default function Index() {
  const { reports, locale } = useLoaderData<typeof loader>();
  const { t } = useTranslation('reports');
  return (
    <>
      <h1>{t('index.heading')}</h1>
      <p>{t('index.intro')}</p>
      {reports.length === 0 ? (
        <p>{t('index.empty')}</p>
      ) : (
        <ul className="report-list">
          {reports.map((r) => (
            <li key={r.slug}>
              {/* The notice's own words, in the language it was published in. */}
              <Link to={`/reports/${r.slug}`} lang={r.language}>
                {r.title}
              </Link>
              <p>
                {t('index.publishedAt')}
                <time dateTime={r.publishedAt}>{formatDateTime(r.publishedAt, locale)}</time>
                {t('index.source')}
                <span lang={r.language}>{r.sourceOffice}</span>
              </p>
              <p>
                {r.state}
                {r.period ? t('index.periodParen', { period: r.period }) : ''}
                {t('index.separator')}
                <Link to={`/reports/${r.slug}/results`}>{t('index.results')}</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
