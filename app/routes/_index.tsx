import type { MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listReports } from '~/models/reports.server';
import { getDb } from '~/server/db.server';
import { formatDateTime } from '~/utils/local-time';
import { describePeriod, PERIOD_STATE_LABELS, periodState } from '~/domain/comment-period';

export const meta: MetaFunction = () => [
  { title: '通報一覧 | 意見箱' },
  { name: 'description', content: '嘉興市秀洲区が公表した通報を読み、項目ごとに意見・提案を送ることができます。' },
];

export async function loader() {
  const now = new Date();
  const reports = await listReports(getDb());
  // The state is worded on the server: a page rendered at another time must not disagree.
  return {
    reports: reports.map((r) => ({ ...r, state: PERIOD_STATE_LABELS[periodState(r, now)], period: describePeriod(r) })),
  };
}

export default function Index() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>公表された通報</h1>
      <p>通報を読み、各項目について意見・提案をお寄せください。電話や郵便でも受け付けています。</p>
      {reports.length === 0 ? (
        <p>現在公表されている通報はありません。</p>
      ) : (
        <ul className="report-list">
          {reports.map((r) => (
            <li key={r.slug}>
              <Link to={`/reports/${r.slug}`}>{r.title}</Link>
              <p>
                公開日:<time dateTime={r.publishedAt}>{formatDateTime(r.publishedAt)}</time> ／ 情報ソース:{r.sourceOffice}
              </p>
              <p>
                {r.state}
                {r.period ? `(${r.period})` : ''} ／ <Link to={`/reports/${r.slug}/results`}>意見への対応状況</Link>
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
