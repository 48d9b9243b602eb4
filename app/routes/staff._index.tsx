import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { CHANNELS, OPINION_STATUSES } from '../../db/schema';
import { DueDate, Highlighted, StatusBadge } from '~/components/staff-text';
import { countByStatus, countOverdue, hasInboxFilters, listOpinions } from '~/models/inbox.server';
import { listReportOutlines } from '~/models/report-outlines.server';
import { listUnits } from '~/models/units.server';
import { listUsers } from '~/models/users.server';
import { INBOX_FILTER_LABELS, INBOX_PAGE_SIZE, inboxSearchParams, parseInboxFilters, type InboxFilters } from '~/schemas/inbox-filters';
import { getDb } from '~/server/db.server';
import { itemLabel, sectionLabel, toKanjiNumber } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';

export const meta: MetaFunction = () => [{ title: '受付一覧 | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { filters, invalid } = parseInboxFilters(new URL(request.url).searchParams);
  const db = getDb();
  const now = new Date().toISOString();
  const { status, page: _page, ...rest } = filters;
  const [page, counts, overdueCount, units, users, reports] = await Promise.all([
    listOpinions(db, filters, now),
    // Counts for the current view across statuses: the status links then say
    // how many each would show, and their sum is the number of matches.
    countByStatus(db, rest, now),
    countOverdue(db, now),
    listUnits(db, { includeRetired: true }),
    listUsers(db),
    listReportOutlines(db),
  ]);
  const total = status ? counts[status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    filters,
    invalid,
    filtered: hasInboxFilters(filters),
    // The table shows an excerpt (highlights.body); the full text stays on the server.
    page: { ...page, rows: page.rows.map(({ body: _body, ...row }) => row) },
    counts,
    total,
    overdueCount,
    units: units.map((u) => ({ id: u.id, name: u.retired_at ? `${u.name}(廃止)` : u.name })),
    users: users.map((u) => ({ id: u.id, name: u.active ? u.display_name : `${u.display_name}(無効)` })),
    reports: reports.map((r) => ({
      id: r.id,
      title: r.title,
      sections: r.sections.map((s) => ({ number: s.number, title: s.title, itemCount: s.items.length })),
    })),
  };
}

function hrefFor(filters: InboxFilters, change: Partial<InboxFilters>): string {
  const params = inboxSearchParams({ ...filters, page: undefined, ...change });
  const qs = params.toString();
  return qs ? `/staff?${qs}` : '/staff';
}

function target(sectionNumber: number, itemNumber: number | null): string {
  return sectionNumber === 0 ? '通報全体' : `${sectionLabel(sectionNumber)}${itemNumber !== null ? itemLabel(itemNumber) : ''}`;
}

export default function InboxRoute() {
  const { filters, invalid, filtered, page, counts, total, overdueCount, units, users, reports } = useLoaderData<typeof loader>();
  const maxSection = Math.max(0, ...reports.flatMap((r) => r.sections.map((s) => s.number)));
  const maxItem = Math.max(0, ...reports.flatMap((r) => r.sections.map((s) => s.itemCount)));
  const firstIndex = (page.page - 1) * INBOX_PAGE_SIZE + 1;
  const exportQuery = inboxSearchParams({ ...filters, page: undefined }).toString();
  const exportHref = exportQuery ? `/staff/export.csv?${exportQuery}` : '/staff/export.csv';

  return (
    <div className="inbox">
      <h1>受付一覧</h1>

      <nav aria-label="状態ごとの件数" className="status-counts">
        <ul>
          <li>
            <Link to={hrefFor(filters, { status: undefined })} aria-current={filters.status === undefined ? 'true' : undefined}>
              すべて <span className="count">{Object.values(counts).reduce((a, b) => a + b, 0).toLocaleString('ja-JP')}件</span>
            </Link>
          </li>
          {OPINION_STATUSES.map((s) => (
            <li key={s}>
              <Link to={hrefFor(filters, { status: s })} aria-current={filters.status === s ? 'true' : undefined}>
                {STATUS_LABELS[s]} <span className="count">{counts[s].toLocaleString('ja-JP')}件</span>
              </Link>
            </li>
          ))}
          <li>
            <Link to="/staff?overdue=1" className="overdue-link">
              期限超過(全体) <span className="count">{overdueCount.toLocaleString('ja-JP')}件</span>
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
          <div className="field">
            <label htmlFor="f-status">状態</label>
            <select id="f-status" name="status" defaultValue={filters.status ?? ''}>
              <option value="">すべて</option>
              {OPINION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-channel">受付経路</label>
            <select id="f-channel" name="channel" defaultValue={filters.channel ?? ''}>
              <option value="">すべて</option>
              {CHANNELS.map((c) => (
                <option key={c} value={c}>
                  {CHANNEL_LABELS[c]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-report">通報</label>
            <select id="f-report" name="reportId" defaultValue={filters.reportId ?? ''}>
              <option value="">すべて</option>
              {reports.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-section">項</label>
            <select id="f-section" name="section" defaultValue={filters.section ?? ''}>
              <option value="">すべて</option>
              <option value="0">通報全体</option>
              {Array.from({ length: maxSection }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  {sectionLabel(n)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-item">小項目</label>
            <select id="f-item" name="item" defaultValue={filters.item ?? ''}>
              <option value="">すべて</option>
              {Array.from({ length: maxItem }, (_, i) => i + 1).map((n) => (
                <option key={n} value={n}>
                  ({toKanjiNumber(n)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-unit">担当部署</label>
            <select id="f-unit" name="unitId" defaultValue={filters.unitId ?? ''}>
              <option value="">すべて</option>
              {units.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="f-assignee">担当者</label>
            <select id="f-assignee" name="assigneeId" defaultValue={filters.assigneeId ?? ''}>
              <option value="">すべて</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </div>
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
          {total.toLocaleString('ja-JP')}件
          {page.rows.length > 0 ? `(${firstIndex.toLocaleString('ja-JP')}〜${(firstIndex + page.rows.length - 1).toLocaleString('ja-JP')}件目)` : ''}
        </span>
      </h2>

      {page.rows.length === 0 ? (
        <p className="notice">{filtered ? '条件に合う意見はありません。条件を変えてお試しください。' : 'まだ意見はありません。'}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="results-title" tabIndex={0}>
          <table className="inbox-table">
            <thead>
              <tr>
                <th scope="col">受付番号</th>
                <th scope="col">受付日時</th>
                <th scope="col">経路</th>
                <th scope="col">対象</th>
                <th scope="col">意見</th>
                <th scope="col">状態</th>
                <th scope="col">担当</th>
                <th scope="col">回答期限</th>
              </tr>
            </thead>
            <tbody>
              {page.rows.map((r) => (
                <tr key={r.id} className={r.overdue ? 'is-overdue' : undefined}>
                  <td>
                    <Link to={`/staff/opinions/${r.id}`} className="tracking-number">
                      <Highlighted parts={r.highlights.trackingNumber} />
                    </Link>
                  </td>
                  <td>
                    <time dateTime={r.receivedAt}>{formatDateTime(r.receivedAt)}</time>
                  </td>
                  <td>{CHANNEL_LABELS[r.channel]}</td>
                  <td>{target(r.sectionNumber, r.itemNumber)}</td>
                  <td className="inbox-table__body">
                    {r.name ? (
                      <span className="inbox-table__name">
                        <Highlighted parts={r.highlights.name} />
                        <span className="visually-hidden">:</span>
                      </span>
                    ) : null}
                    <Highlighted parts={r.highlights.body} />
                  </td>
                  <td>
                    <StatusBadge status={r.status} />
                  </td>
                  <td>
                    {r.unitName ?? <span className="muted">部署未定</span>}
                    <br />
                    {r.assigneeName ?? <span className="muted">担当者未定</span>}
                  </td>
                  <td>
                    <DueDate dueAt={r.dueAt} overdue={r.overdue} />
                  </td>
                </tr>
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
