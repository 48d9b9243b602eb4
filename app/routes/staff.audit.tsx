import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { AuditAction, AuditChanges, AuditTarget } from '~/components/audit-entry';
import { PageSummary, Pager } from '~/components/pager';
import { auditActionLabel } from '~/domain/audit-labels';
import { listAudit, listAuditActions } from '~/models/audit.server';
import { listUsers } from '~/models/users.server';
import { parseAuditFilters } from '~/schemas/audit-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { formatDateTime } from '~/utils/local-time';

export const meta: MetaFunction = () => [{ title: '監査ログ | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const filters = parseAuditFilters(new URL(request.url).searchParams);
  const db = getDb();
  const [result, actions, users] = await Promise.all([
    listAudit(db, { actorId: filters.actor, action: filters.action, from: filters.from, to: filters.to, page: filters.page }),
    listAuditActions(db),
    listUsers(db),
  ]);
  return {
    ...result,
    filters,
    actions,
    people: users.map((u) => ({ id: u.id, label: `${u.displayName}（${u.email}）` })),
  };
}

export default function StaffAudit() {
  const { entries, names, total, first, last, page, pageCount, filters, actions, people } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>監査ログ</h1>
      <p>サインイン、利用者・部署・意見に対するすべての操作の記録です（新しい順、1ページ50件）。</p>
      <Form method="get" className="filter-form" aria-label="監査ログの絞り込み">
        <div className="field">
          <label htmlFor="audit-actor">操作した人</label>
          <select id="audit-actor" name="actor" defaultValue={filters.actor ?? ''}>
            <option value="">すべて</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">操作の種類</label>
          <select id="audit-action" name="action" defaultValue={filters.action ?? ''}>
            <option value="">すべて</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {auditActionLabel(a).label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-from">期間（開始日）</label>
          <input id="audit-from" type="date" name="from" defaultValue={filters.from ?? ''} />
        </div>
        <div className="field">
          <label htmlFor="audit-to">期間（終了日）</label>
          <input id="audit-to" type="date" name="to" defaultValue={filters.to ?? ''} />
        </div>
        <button type="submit">絞り込む</button> <Link to="/staff/audit">条件をクリア</Link>
      </Form>

      <p role="status">
        <PageSummary total={total} first={first} last={last} page={page} pageCount={pageCount} />
      </p>
      {entries.length === 0 ? (
        <p>条件に合う記録はありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="監査ログの一覧" tabIndex={0}>
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">操作した人</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">変更内容(変更前 → 変更後)</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.createdAt}>{formatDateTime(e.createdAt)}</time>
                  </td>
                  <td>{e.actorLabel}</td>
                  <td>
                    <AuditAction action={e.action} />
                  </td>
                  <td>
                    <AuditTarget entityType={e.entityType} entityId={e.entityId} entityName={e.entityName} />
                  </td>
                  <td>
                    <AuditChanges action={e.action} before={e.before} after={e.after} names={names} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} filters={filters} />
    </div>
  );
}
