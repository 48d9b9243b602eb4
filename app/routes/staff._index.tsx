import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { FilterDate, FilterSelect } from '~/components/filter-bar';
import { OpinionRows, OpinionTableHead } from '~/components/opinion-row';
import { CHANNELS, isReceivable } from '~/domain/channels';
import { OPINION_STATUSES } from '~/domain/opinion-status';
import { countOverdue, hasInboxFilters, readInbox } from '~/models/inbox.server';
import { assigneeChoice, listInboxFilterChoices, unitChoice } from '~/models/report-outlines.server';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { INBOX_PAGE_SIZE, inboxSearchParams, parseInboxFilters, type InboxFilters } from '~/schemas/inbox-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  const { filters, invalid } = parseInboxFilters(new URL(request.url).searchParams);
  const db = getDb();
  const now = new Date().toISOString();
  const [{ page, counts, capped }, overdueCount, choices] = await Promise.all([
    // With the page, counts for the current view across statuses: the status
    // links then say how many each would show, and their sum is the number of
    // matches. A filtered view or a search stops counting at a cap (then 「…件以上」).
    readInbox(db, filters, now),
    countOverdue(db, now),
    listInboxFilterChoices(db),
  ]);
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    title: `${t('inbox.title')} | ${t('meta.suffix')}`,
    filters,
    invalid,
    filtered: hasInboxFilters(filters),
    // The table shows an excerpt (highlights.body); the full text stays on the server.
    page: { ...page, rows: page.rows.map(({ body: _body, ...row }) => row) },
    counts,
    capped,
    all,
    total: filters.status ? counts[filters.status] : all,
    overdueCount,
    choices: {
      ...choices,
      units: choices.units.map((u) => ({ id: u.id, label: unitChoice(u.name, u.retired, t) })),
      assignees: choices.assignees.map((a) => ({ id: a.id, label: assigneeChoice(a.name, a.email, a.active, t) })),
    },
  };
}

function hrefFor(filters: InboxFilters, change: Partial<InboxFilters>): string {
  const qs = inboxSearchParams({ ...filters, page: undefined, ...change }).toString();
  return qs ? `/staff?${qs}` : '/staff';
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export default function InboxRoute() {
  const { filters, invalid, filtered, page, counts, capped, all, total, overdueCount, choices } = useLoaderData<typeof loader>();
  const firstIndex = (page.page - 1) * INBOX_PAGE_SIZE + 1;
  const exportQuery = inboxSearchParams({ ...filters, page: undefined }).toString();
  const exportHref = exportQuery ? `/staff/export.csv?${exportQuery}` : '/staff/export.csv';
  const f = useStaffFormat();
  const { t, count, number } = f;
  // A filtered view or a search stops counting at a cap: 「…件以上」.
  const shown = (n: number) => (capped ? t('countAtLeast', { count: n }) : count(n));
  const toOptions = (list: { id: number; label: string }[]) => list.map((c) => ({ value: c.id, label: c.label }));

  return (
    <div className="inbox">
      <h1>{t('inbox.title')}</h1>

      <nav aria-label={t('inbox.countsLabel')} className="status-counts">
        <ul>
          <li>
            <Link to={hrefFor(filters, { status: undefined })} aria-current={filters.status === undefined ? 'true' : undefined}>
              {t('inbox.all')} <span className="count">{shown(all)}</span>
            </Link>
          </li>
          {OPINION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={hrefFor(filters, { status: s })} aria-current={filters.status === s ? 'true' : undefined}>
                {f.status(s)} <span className="count">{shown(counts[s])}</span>
              </Link>
            </li>
          ))}
          <li>
            <Link to="/staff?overdue=1" className="overdue-link">
              {t('inbox.overdueAll')} <span className="count">{count(overdueCount)}</span>
            </Link>
          </li>
        </ul>
      </nav>

      {invalid.length > 0 ? (
        <p className="alert" role="alert">
          {t('inbox.invalid', { fields: invalid.map((k) => t(`inbox.filter.${k}`)).join(t('inbox.listSeparator')) })}
        </p>
      ) : null}

      <Form method="get" className="inbox-filters" aria-labelledby="filter-title">
        <h2 id="filter-title" className="visually-hidden">
          {t('inbox.filterTitle')}
        </h2>
        <div className="field inbox-filters__q">
          <label htmlFor="f-q">{t('inbox.q')}</label>
          <input id="f-q" type="search" name="q" defaultValue={filters.q ?? ''} maxLength={100} />
        </div>
        <div className="inbox-filters__grid">
          <FilterSelect name="status" label={t('inbox.filter.status')} value={filters.status} options={OPINION_STATUSES.map((s) => ({ value: s, label: f.status(s) }))} />
          <FilterSelect
            name="channel"
            label={t('inbox.filter.channel')}
            value={filters.channel}
            options={CHANNELS.filter((c) => isReceivable(c) || c === filters.channel).map((c) => ({ value: c, label: f.channel(c) }))}
          />
          <FilterSelect name="reportId" label={t('inbox.filter.reportId')} value={filters.reportId} options={toOptions(choices.reports)} />
          <FilterSelect
            name="section"
            label={t('inbox.filter.section')}
            value={filters.section}
            extraOptions={[{ value: 0, label: f.section(0) }]}
            options={range(choices.maxSection).map((n) => ({ value: n, label: f.section(n) }))}
          />
          <FilterSelect name="item" label={t('inbox.filter.itemSelect')} value={filters.item} options={range(choices.maxItem).map((n) => ({ value: n, label: f.item(n) }))} />
          <FilterSelect name="unitId" label={t('inbox.filter.unitId')} value={filters.unitId} options={toOptions(choices.units)} />
          <FilterSelect name="assigneeId" label={t('inbox.filter.assigneeId')} value={filters.assigneeId} options={toOptions(choices.assignees)} />
          <FilterDate name="from" label={t('inbox.filter.from')} value={filters.from} />
          <FilterDate name="to" label={t('inbox.filter.to')} value={filters.to} />
          <div className="field field--check">
            <input id="f-overdue" type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue === true} />{' '}
            <label htmlFor="f-overdue">{t('inbox.filter.overdueOnly')}</label>
          </div>
        </div>
        <div className="toolbar">
          <button type="submit">{t('inbox.submit')}</button>
          {filtered ? (
            <Link to="/staff" className="button button--secondary">
              {t('inbox.clear')}
            </Link>
          ) : null}
          <a href={exportHref} className="button button--secondary" download>
            {t('inbox.csv')}
          </a>
        </div>
      </Form>

      <h2 id="results-title">
        {filtered ? t('inbox.matching') : t('inbox.allOpinions')}
        <span className="results-count">
          {shown(total)}
          {page.rows.length > 0 ? t('inbox.range', { first: number(firstIndex), last: number(firstIndex + page.rows.length - 1) }) : ''}
        </span>
      </h2>

      {page.rows.length === 0 ? (
        <p className="notice">{filtered ? t('inbox.noneMatching') : t('inbox.none')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="results-title" tabIndex={0}>
          <table className="inbox-table">
            <OpinionTableHead excerpt />
            <OpinionRows opinions={page.rows} excerpt />
          </table>
        </div>
      )}

      {page.page > 1 || page.hasNext ? (
        <nav className="inbox-pager" aria-label={t('inbox.pager')}>
          {page.page > 1 ? (
            <Link to={hrefFor(filters, { page: page.page - 1 })} rel="prev">
              {t('inbox.prev', { count: INBOX_PAGE_SIZE })}
            </Link>
          ) : null}
          <span>{t('inbox.pageN', { page: page.page })}</span>
          {page.hasNext ? (
            <Link to={hrefFor(filters, { page: page.page + 1 })} rel="next">
              {t('inbox.next', { count: INBOX_PAGE_SIZE })}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
