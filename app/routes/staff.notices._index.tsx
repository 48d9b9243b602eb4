// /staff/notices — every notice with its state (下書き, 募集前, 受付中, 募集終了),
// its period, its latest revision and its counts.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listNotices } from '~/models/notice-admin.server';
import { NOTICE_STATE_LABELS } from '~/domain/comment-period';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { formatDateTime } from '~/utils/local-time';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const meta: MetaFunction = () => [{ title: '通報の管理 | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  return { notices: await listNotices(getDb()) };
}

export default function NoticesIndex() {
  const { notices } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>通報の管理</h1>
      <p>
        <Link to="/staff/notices/new">新しい通報を公開する</Link>
      </p>
      {notices.length === 0 ? (
        <p>まだ通報がありません。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="notices-table" tabIndex={0}>
          <table className="notice-states">
            <caption id="notices-table">通報の一覧({notices.length}件)</caption>
            <thead>
              <tr>
                <th scope="col">表題</th>
                <th scope="col">状態</th>
                <th scope="col">意見募集期間</th>
                <th scope="col">改訂</th>
                <th scope="col" className="num">
                  意見
                </th>
                <th scope="col" className="num">
                  回答済み
                </th>
                <th scope="col" className="num">
                  期間外の記録
                </th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr key={n.id}>
                  <th scope="row">
                    <Link to={`/staff/notices/${n.id}`}>{n.title}</Link>
                    <br />
                    <span className="muted">/reports/{n.slug}</span>
                  </th>
                  <td>{NOTICE_STATE_LABELS[n.state]}</td>
                  <td>
                    {n.opensAt || n.closesAt ? (
                      <>
                        {n.opensAt ? formatDateTime(n.opensAt) : '公開時'} 〜 {n.closesAt ? formatDateTime(n.closesAt) : '終了日なし'}
                      </>
                    ) : (
                      '期間なし'
                    )}
                  </td>
                  <td>
                    改訂{n.revisionNo}({formatDateTime(n.updatedAt)})
                  </td>
                  <td className="num">{n.opinions.toLocaleString('ja-JP')}</td>
                  <td className="num">{n.answered.toLocaleString('ja-JP')}</td>
                  <td className="num">{n.outsidePeriod.toLocaleString('ja-JP')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
