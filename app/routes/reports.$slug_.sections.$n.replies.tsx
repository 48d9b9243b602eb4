// /reports/:slug/sections/:n/replies — every published answer for one section,
// newest first, ten a page. The trailing underscore keeps this page out of the
// report page's layout (it is a page of its own, not an outlet of the report).
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { repliesPath, SectionReplies } from '~/components/section-replies';
import { listPublishedReplies, REPLIES_PER_PAGE } from '~/models/replies-public.server';
import { getReportPage } from '~/models/reports.server';
import { getDb } from '~/server/db.server';
import { formatTarget, toKanjiNumber } from '~/utils/format';

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `寄せられた意見と回答 — ${data.sectionHeading}${data.page > 1 ? `(${data.page}ページ目)` : ''} | 意見箱` },
        { name: 'description', content: `${data.reportTitle}の${data.sectionHeading}に寄せられた意見と、区からの回答です。` },
      ]
    : [{ title: 'ページが見つかりません | 意見箱' }];

function notFound(): never {
  throw new Response('Not Found', { status: 404 });
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  if (!/^\d{1,3}$/.test(params.n ?? '')) notFound();
  const sectionNumber = Number(params.n);
  const pageParam = new URL(request.url).searchParams.get('page');
  if (pageParam !== null && !/^[1-9]\d{0,5}$/.test(pageParam)) notFound();
  const page = pageParam ? Number(pageParam) : 1;

  const db = getDb();
  const report = await getReportPage(db, params.slug ?? '');
  if (!report) notFound();
  const section = sectionNumber === 0 ? null : report.sections.find((s) => s.number === sectionNumber);
  if (sectionNumber !== 0 && !section) notFound();

  const result = await listPublishedReplies(db, report.id, sectionNumber, { page, perPage: REPLIES_PER_PAGE });
  if (page > result.pageCount) notFound();
  return {
    slug: report.slug,
    reportTitle: report.title,
    sectionNumber,
    // 第三項「…について」: quoted once and without a closing 。, so that への reads naturally.
    sectionHeading: formatTarget({ sectionNumber, sectionTitle: section?.title ?? null }),
    crumb: section ? `${toKanjiNumber(section.number)}、${section.title}` : '通報全体への意見',
    sectionAnchor: section ? `#section-${section.number}` : '#section-0',
    itemHeadings: Object.fromEntries((section?.items ?? []).map((i) => [i.number, i.heading])),
    ...result,
  };
}

export default function SectionRepliesRoute() {
  const data = useLoaderData<typeof loader>();
  const base = repliesPath(data.slug, data.sectionNumber);
  const pageHref = (p: number) => (p === 1 ? base : `${base}?page=${p}`);
  return (
    <article className="replies-page" aria-labelledby="replies-page-title">
      <nav className="breadcrumb" aria-label="現在の場所">
        <ol>
          <li>
            <Link to={`/reports/${data.slug}`}>{data.reportTitle}</Link>
          </li>
          <li>
            <Link to={`/reports/${data.slug}${data.sectionAnchor}`}>{data.crumb}</Link>
          </li>
        </ol>
      </nav>
      <h1 id="replies-page-title">{data.sectionHeading}への意見と回答</h1>
      <p>
        この項目に寄せられた意見と、区からの回答を新しい順に掲載しています。意見は、投稿者が公開に同意したものだけを、氏名・連絡先などの個人情報を伏せて掲載しています。
      </p>
      <SectionReplies
        slug={data.slug}
        sectionNumber={data.sectionNumber}
        total={data.total}
        replies={data.replies}
        itemHeadings={data.itemHeadings}
        headingLevel={2}
        linkToAll={false}
        showEmpty
      />
      {data.pageCount > 1 ? (
        <nav className="pagination" aria-label="ページ送り">
          <p>
            {data.total}件中 {(data.page - 1) * data.perPage + 1}〜{Math.min(data.page * data.perPage, data.total)}件目
          </p>
          <ul>
            {data.page > 1 ? (
              <li>
                <Link to={pageHref(data.page - 1)} rel="prev">
                  前のページ
                </Link>
              </li>
            ) : null}
            {Array.from({ length: data.pageCount }, (_, i) => i + 1).map((p) => (
              <li key={p}>
                {p === data.page ? (
                  <span aria-current="page">{p}</span>
                ) : (
                  <Link to={pageHref(p)} aria-label={`${p}ページ目`}>
                    {p}
                  </Link>
                )}
              </li>
            ))}
            {data.page < data.pageCount ? (
              <li>
                <Link to={pageHref(data.page + 1)} rel="next">
                  次のページ
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
      <p>
        <Link to={`/reports/${data.slug}${data.sectionAnchor}`}>通報の{data.sectionNumber === 0 ? '本文' : 'この項目'}へ戻る</Link>
      </p>
    </article>
  );
}
