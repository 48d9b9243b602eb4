// /reports/:slug/sections/:n/replies — every published answer for one section,
// newest first, ten a page. The trailing underscore keeps this page out of the
// report page's layout (it is a page of its own, not an outlet of the report).
import { data as withHeaders, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getRequestT } from '~/i18n/i18n.server';
import { localizeOutline } from '~/models/notice-translations.server';
import { repliesPath, SectionReplies } from '~/components/section-replies';
import { listPublishedReplies, REPLIES_PER_PAGE } from '~/models/replies-public.server';
import { getReportPage } from '~/models/reports.server';
import { getDb } from '~/server/db.server';
import { formatTarget, sectionHeading } from '~/utils/format';

export const handle = { i18n: ['reports'] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: 'description', content: data.meta.description }] : [];

function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

// The page cache answers this route's documents and loader data with the
// same bytes whatever their query but `lng`, `page` and `_routes`
// (page-cache-request.server.ts): a query parameter read here, or by a
// component of this page, must become part of its key.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  if (!/^\d{1,3}$/.test(params.n ?? '')) notFound();
  const sectionNumber = Number(params.n);
  const pageParam = new URL(request.url).searchParams.get('page');
  if (pageParam !== null && !/^[1-9]\d{0,5}$/.test(pageParam)) notFound();
  const page = pageParam ? Number(pageParam) : 1;

  const db = getDb();
  const page0 = await getReportPage(db, params.slug ?? '');
  if (!page0) notFound();
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  // Titles in the page's language where the notice has that translation.
  const { outline: report, lang: noticeLang } = await localizeOutline(db, { ...page0, revisionId: page0.revisionId }, lng);
  const section = sectionNumber === 0 ? null : report.sections.find((s) => s.number === sectionNumber);
  if (sectionNumber !== 0 && !section) notFound();

  const result = await listPublishedReplies(db, report.id, sectionNumber, { page, perPage: REPLIES_PER_PAGE });
  if (page > result.pageCount) notFound();
  // 第三項「…について」: quoted once and without a closing 。, so that への reads naturally.
  const heading = formatTarget({ sectionNumber, sectionTitle: section?.title ?? null }, 'long', t);
  const pageSuffix = page > 1 ? t('sectionReplies.pageSuffix', { page }) : '';
  const answer = {
    meta: {
      title: t('site.pageTitle', { title: t('sectionReplies.title', { heading }) + pageSuffix }),
      description: t('sectionReplies.description', { report: report.title, heading }),
    },
    noticeLang,
    slug: report.slug,
    reportTitle: report.title,
    sectionNumber,
    sectionHeading: heading,
    crumb: section ? sectionHeading(t, section.number, section.title) : t('sectionReplies.crumbWhole'),
    sectionAnchor: section ? `#section-${section.number}` : '#section-0',
    itemHeadings: Object.fromEntries((section?.items ?? []).map((i) => [i.number, i.heading])),
    ...result,
  };
  // Rendered for the page cache (decision 015): the same bytes for every reader of this language.
  return context.renderForCache ? withHeaders(answer, { headers: { 'x-cached-page': 'replies' } }) : answer;
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export default function SectionRepliesRoute() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation('reports');
  const nl = data.noticeLang;
  const base = repliesPath(data.slug, data.sectionNumber);
  const pageHref = (p: number) => (p === 1 ? base : `${base}?page=${p}`);
  return (
    <article className="replies-page" aria-labelledby="replies-page-title">
      <nav className="breadcrumb" aria-label={t('breadcrumb')}>
        <ol>
          <li>
            <Link to={`/reports/${data.slug}`} lang={nl}>
              {data.reportTitle}
            </Link>
          </li>
          <li>
            <Link to={`/reports/${data.slug}${data.sectionAnchor}`} lang={data.sectionNumber === 0 ? undefined : nl}>
              {data.crumb}
            </Link>
          </li>
        </ol>
      </nav>
      <h1 id="replies-page-title" lang={data.sectionNumber === 0 ? undefined : nl}>
        {t('sectionReplies.heading', { heading: data.sectionHeading })}
      </h1>
      <p>{t('sectionReplies.intro')}</p>
      <SectionReplies
        slug={data.slug}
        sectionNumber={data.sectionNumber}
        total={data.total}
        replies={data.replies}
        itemHeadings={data.itemHeadings}
        headingLevel={2}
        linkToAll={false}
        showEmpty
        noticeLang={nl}
      />
      {data.pageCount > 1 ? (
        <nav className="pagination" aria-label={t('sectionReplies.pagination')}>
          <p>{t('sectionReplies.range', { total: data.total, from: (data.page - 1) * data.perPage + 1, to: Math.min(data.page * data.perPage, data.total) })}</p>
          <ul>
            {data.page > 1 ? (
              <li>
                <Link to={pageHref(data.page - 1)} rel="prev">
                  {t('sectionReplies.prev')}
                </Link>
              </li>
            ) : null}
            {Array.from({ length: data.pageCount }, (_, i) => i + 1).map((p) => (
              <li key={p}>
                {p === data.page ? (
                  <span aria-current="page">{p}</span>
                ) : (
                  <Link to={pageHref(p)} aria-label={t('sectionReplies.pageN', { page: p })}>
                    {p}
                  </Link>
                )}
              </li>
            ))}
            {data.page < data.pageCount ? (
              <li>
                <Link to={pageHref(data.page + 1)} rel="next">
                  {t('sectionReplies.next')}
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      <p>
        <Link to={`/reports/${data.slug}${data.sectionAnchor}`}>{data.sectionNumber === 0 ? t('sectionReplies.backWhole') : t('sectionReplies.backSection')}</Link>
      </p>
    </article>
  );
}
