import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { FilterSelect } from '~/components/filter-select';
import { OpinionRow, OpinionTableHead } from '~/components/opinion-row';
import { CHANNELS, isReceivable } from '~/domain/channels';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { OPINION_STATUSES } from '~/domain/opinion-status';
import { countByStatus, countOverdue, hasInboxFilters, listOpinions } from '~/models/inbox.server';
import { listOutsidePeriodIds } from '~/models/opinion-marks.server';
import { listInboxFilterChoices } from '~/models/report-outlines.server';
import { INBOX_FILTER_LABELS, INBOX_PAGE_SIZE, inboxSearchParams, parseInboxFilters, type InboxFilters } from '~/schemas/inbox-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { itemLabel, sectionLabel } from '~/utils/format';

export const meta: MetaFunction = () => [{ title: '受付一覧 | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { filters, invalid } = parseInboxFilters(new URL(request.url).searchParams);
  const db = getDb();
  const now = new Date().toISOString();
  const { status, page: _page, ...rest } = filters;
  const [page, counts, overdueCount, choices] = await Promise.all([
    listOpinions(db, filters, now),
    // Counts for the current view across statuses: the status links then say
    // how many each would show, and their sum is the number of matches.
    countByStatus(db, rest, now),
    countOverdue(db, now),
    listInboxFilterChoices(db),
  ]);
  const outside = await listOutsidePeriodIds(db, page.rows.map((r) => r.id));
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    filters,
    invalid,
    filtered: hasInboxFilters(filters),
    // The table shows an excerpt (highlights.body); the full text stays on the server.
    page: { ...page, rows: page.rows.map(({ body: _body, ...row }) => ({ ...row, outsidePeriod: outside.has(row.id) })) },
    counts,
    all,
    total: status ? counts[status] : all,
    overdueCount,
    choices,
  };
}

function hrefFor(filters: InboxFilters, change: Partial<InboxFilters>): string {
  const qs = inboxSearchParams({ ...filters, page: undefined, ...change }).toString();
  return qs ? `/staff?${qs}` : '/staff';
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const count = (n: number) => `${n.toLocaleString('ja-JP')}件`;

export default function InboxRoute() {
  const { filters, invalid, filtered, page, counts, all, total, overdueCount, choices } = useLoaderData<typeof loader>();
  const firstIndex = (page.page - 1) * INBOX_PAGE_SIZE + 1;
  const exportQuery = inboxSearchParams({ ...filters, page: undefined }).toString();
  const exportHref = exportQuery ? `/staff/export.csv?${exportQuery}` : '/staff/export.csv';
  const toOptions = (list: { id: number; label: string }[]) => list.map((c) => ({ value: c.id, label: c.label }));

  return (
    <div className="inbox">
      <h1>受付一覧</h1>

      <nav aria-label="状態ごとの件数" className="status-counts">
        <ul>
          <li>
            <Link to={hrefFor(filters, { status: undefined })} aria-current={filters.status === undefined ? 'true' : undefined}>
              すべて <span className="count">{count(all)}</span>
            </Link>
          </li>
          {OPINION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={hrefFor(filters, { status: s })} aria-current={filters.status === s ? 'true' : undefined}>
                {STATUS_LABELS[s]} <span className="count">{count(counts[s])}</span>
              </Link>
            </li>
          ))}
          <li>
            <Link to="/staff?overdue=1" className="overdue-link">
              期限超過(全体) <span className="count">{count(overdueCount)}</span>
            </Link>
          </li>
        </ul>
      </nav>

      {invalid.length > 0 ? (
        <p className="alert" role="alert">
          {`次の条件は形式が正しくないため、無視しました:${invalid.map((k) => INBOX_FILTER_LABELS[k]).join('、')}`}
        </p>
      ) : null}

      <Form method="get" className="inbox-filters" aria-labelledby="filter-title">
        <h2 id="filter-title" className="visually-hidden">
          絞り込みと検索
        </h2>
        <div className="field inbox-filters__q">
          <label htmlFor="f-q">キーワード(意見の本文・氏名・受付番号)</label>
          <input id="f-q" type="search" name="q" defaultValue={filters.q ?? ''} maxLength={100} />
        </div>
        <div className="inbox-filters__grid">
          <FilterSelect name="status" label="状態" value={filters.status} options={OPINION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))} />
          <FilterSelect
            name="channel"
            label="受付経路"
            value={filters.channel}
            options={CHANNELS.filter((c) => isReceivable(c) || c === filters.channel).map((c) => ({ value: c, label: CHANNEL_LABELS[c] }))}
          />
          <FilterSelect name="reportId" label="通報" value={filters.reportId} options={toOptions(choices.reports)} />
          <FilterSelect
            name="section"
            label="項"
            value={filters.section}
            extraOptions={[{ value: 0, label: sectionLabel(0) }]}
            options={range(choices.maxSection).map((n) => ({ value: n, label: sectionLabel(n) }))}
          />
          <FilterSelect name="item" label="小項目" value={filters.item} options={range(choices.maxItem).map((n) => ({ value: n, label: itemLabel(n) }))} />
          <FilterSelect name="unitId" label="担当部署" value={filters.unitId} options={toOptions(choices.units)} />
          <FilterSelect name="assigneeId" label="担当者" value={filters.assigneeId} options={toOptions(choices.assignees)} />
          <div className="field">
            <label htmlFor="f-from">受付日(から)</label>
            <input id="f-from" type="date" name="from" defaultValue={filters.from ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="f-to">受付日(まで)</label>
            <input id="f-to" type="date" name="to" defaultValue={filters.to ?? ''} />
          </div>
          <div className="field field--check">
            <input id="f-overdue" type="checkbox" name="overdue" value="1" defaultChecked={filters.overdue === true} />{' '}
            <label htmlFor="f-overdue">期限超過のみ</label>
          </div>
        </div>
        <div className="toolbar">
          <button type="submit">絞り込む</button>
          {filtered ? (
            <Link to="/staff" className="button button--secondary">
              条件をクリア
            </Link>
          ) : null}
          <a href={exportHref} className="button button--secondary" download>
            この条件でCSVをダウンロード
          </a>
        </div>
      </Form>

      <h2 id="results-title">
        {filtered ? '該当する意見' : 'すべての意見'}
        <span className="results-count">
          {count(total)}
          {page.rows.length > 0 ? `(${firstIndex.toLocaleString('ja-JP')}〜${(firstIndex + page.rows.length - 1).toLocaleString('ja-JP')}件目)` : ''}
        </span>
      </h2>

      {page.rows.length === 0 ? (
        <p className="notice">{filtered ? '条件に合う意見はありません。条件を変えてお試しください。' : 'まだ意見はありません。'}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="results-title" tabIndex={0}>
          <table className="inbox-table">
            <OpinionTableHead excerpt />
            <tbody>
              {page.rows.map((r) => (
                <OpinionRow key={r.id} opinion={r} excerpt />
              ))}
            </tbody>
          </table>
        </div>
      )}

      {page.page > 1 || page.hasNext ? (
        <nav className="inbox-pager" aria-label="ページ送り">
          {page.page > 1 ? (
            <Link to={hrefFor(filters, { page: page.page - 1 })} rel="prev">
              前の{INBOX_PAGE_SIZE}件
            </Link>
          ) : null}
          <span>{page.page}ページ目</span>
          {page.hasNext ? (
            <Link to={hrefFor(filters, { page: page.page + 1 })} rel="next">
              次の{INBOX_PAGE_SIZE}件
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}
