// "N件中 a〜b件目" and the previous/next links of a paged staff list (the
// audit log, received mail). The links keep the filters in force.
import { Link } from '@remix-run/react';

export type PageInfo = { total: number; first: number; last: number; page: number; pageCount: number };

/** `?filter=…&page=n` from the filters in force (undefined ones left out). */
export function pageHref(filters: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && k !== 'page') params.set(k, String(v));
  params.set('page', String(page));
  return `?${params}`;
}

export function PageSummary({ total, first, last, page, pageCount }: PageInfo) {
  const n = (v: number) => v.toLocaleString('ja-JP');
  if (total === 0) return <>0件</>;
  return (
    <>
      {n(total)}件中 {n(first)}〜{n(last)}件目を表示
      {pageCount > 1 ? `(${n(page)}/${n(pageCount)}ページ目)` : ''}
    </>
  );
}

export function Pager({ page, pageCount, filters }: { page: number; pageCount: number; filters: Record<string, unknown> }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="ページ送り" className="pager">
      {page > 1 ? (
        <Link to={pageHref(filters, page - 1)} rel="prev">
          前のページ
        </Link>
      ) : null}{' '}
      {page < pageCount ? (
        <Link to={pageHref(filters, page + 1)} rel="next">
          次のページ
        </Link>
      ) : null}
    </nav>
  );
}
