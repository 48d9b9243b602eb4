import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { listAudit, listAuditActions } from '~/models/audit.server';
import { listUsers } from '~/models/users.server';
import { getDb } from '~/server/db.server';
import { formatDateTime } from '~/utils/local-time';

import { requireUser } from '~/server/session.server';

export const meta: MetaFunction = () => [{ title: '監査ログ | 意見箱' }, { name: 'robots', content: 'noindex' }];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

// Bad filter values are dropped rather than refused: a hand-edited URL still shows the log.
const FiltersSchema = z.object({
  actor: z.coerce.number().int().positive().optional().catch(undefined),
  action: z.string().max(100).optional().catch(undefined),
  from: day,
  to: day,
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'admin');
  const url = new URL(request.url);
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ''));
  const filters = FiltersSchema.parse(raw);
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
    people: users.map((u) => ({ id: u.id, label: `${u.display_name}（${u.email}）` })),
  };
}

function pageHref(filters: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && k !== 'page') params.set(k, String(v));
  params.set('page', String(page));
  return `?${params}`;
}

function Json({ value }: { value: string | null }) {
  if (value === null) return <span>—</span>;
  let pretty = value;
  try {
    pretty = JSON.stringify(JSON.parse(value), null, 1);
  } catch {
    // Stored as written; show it as is.
  }
  return <pre className="audit-json">{pretty}</pre>;
}

export default function StaffAudit() {
  const { entries, total, page, pageCount, filters, actions, people } = useLoaderData<typeof loader>();
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
                {a}
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
        {total.toLocaleString('ja-JP')}件中 {pageCount > 1 ? `${page}/${pageCount}ページ目` : ''}
      </p>
      {entries.length === 0 ? (
        <p>条件に合う記録はありません。</p>
      ) : (
        <div className="table-scroll">
          <table className="audit-table">
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">操作した人</th>
                <th scope="col">操作</th>
                <th scope="col">対象</th>
                <th scope="col">変更前</th>
                <th scope="col">変更後</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.created_at}>{formatDateTime(e.created_at)}</time>
                  </td>
                  <td>{e.actor_label}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.entity_type}
                    {e.entity_id !== null ? ` #${e.entity_id}` : ''}
                  </td>
                  <td>
                    <Json value={e.before_json} />
                  </td>
                  <td>
                    <Json value={e.after_json} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 ? (
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
      ) : null}
    </div>
  );
}
