// "N of M shown" and the previous/next links of a paged staff list (the
// audit log, received mail). The links keep the filters in force.
import { Link } from '@remix-run/react';
import { useStaffFormat } from '~/i18n/staff-format';

export type PageInfo = { total: number; first: number; last: number; page: number; pageCount: number };

/** `?filter=…&page=n` from the filters in force (undefined ones left out). */
export function pageHref(filters: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && k !== 'page') params.set(k, String(v));
  params.set('page', String(page));
  return `?${params}`;
}

export function PageSummary({ total, first, last, page, pageCount }: PageInfo) {
  const { t, number: n } = useStaffFormat();
  if (total === 0) return <>{t('pager.none')}</>;
  return (
    <>
      {t('pager.summary', { total: n(total), first: n(first), last: n(last) })}
      {pageCount > 1 ? t('pager.pageOf', { page: n(page), pages: n(pageCount) }) : ''}
    </>
  );
}

export function Pager({ page, pageCount, filters }: { page: number; pageCount: number; filters: Record<string, unknown> }) {
  const { t } = useStaffFormat();
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={t('pager.label')} className="pager">
      {page > 1 ? (
        <Link to={pageHref(filters, page - 1)} rel="prev">
          {t('pager.prev')}
        </Link>
      ) : null}{' '}
      {page < pageCount ? (
        <Link to={pageHref(filters, page + 1)} rel="next">
          {t('pager.next')}
        </Link>
      ) : null}
    </nav>
  );
}
