import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { BarChart } from '~/components/staff-bar-chart';
import { OpinionRow, OpinionTableHead } from '~/components/opinion-row';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { getDashboard } from '~/models/dashboard.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { formatTarget } from '~/utils/format';
import { addDays, formatDate } from '~/utils/local-time';

export const meta: MetaFunction = () => [{ title: 'ダッシュボード | 職員画面 | 意見箱' }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const dashboard = await getDashboard(getDb());
  // The overdue list shows no opinion text; it stays on the server.
  return { dashboard: { ...dashboard, overdue: dashboard.overdue.map(({ body: _body, ...row }) => row) } };
}

function shortLabel(sectionNumber: number): string {
  return formatTarget({ sectionNumber }, 'short');
}

export default function DashboardRoute() {
  const { dashboard: d } = useLoaderData<typeof loader>();
  const n = (v: number) => v.toLocaleString('ja-JP');
  return (
    <div className="dashboard">
      <h1>ダッシュボード</h1>
      <dl className="kpis">
        <div>
          <dt>意見の総数</dt>
          <dd>{n(d.total)}件</dd>
        </div>
        <div>
          <dt>期限超過</dt>
          <dd>
            <Link to="/staff?overdue=1">{n(d.overdueCount)}件</Link>
          </dd>
        </div>
        <div>
          <dt>最初の回答までの日数(中央値)</dt>
          <dd>{d.medianDaysToReply === null ? '—' : `${d.medianDaysToReply.toFixed(1)}日`}</dd>
        </div>
        <div>
          <dt>回答を公開した意見</dt>
          <dd>{n(d.repliedCount)}件</dd>
        </div>
      </dl>

      {d.bySection.map((report) => (
        <section key={report.reportId} aria-labelledby={`sections-${report.reportId}`}>
          <h2 id={`sections-${report.reportId}`}>項ごとの意見数:{report.title}</h2>
          <div className="chart-scroll">
            <BarChart
              id={`chart-${report.reportId}`}
              title={`項ごとの意見数(${report.title})`}
              bars={report.sections.map((s) => ({ label: `${shortLabel(s.sectionNumber)} ${s.sectionNumber === 0 ? '' : s.title}`.trim(), value: s.count }))}
            />
          </div>
          <div className="table-scroll" role="region" aria-labelledby={`sections-table-${report.reportId}`} tabIndex={0}>
            <table>
              <caption id={`sections-table-${report.reportId}`}>項ごとの意見数(表)</caption>
              <thead>
                <tr>
                  <th scope="col">項</th>
                  <th scope="col">見出し</th>
                  <th scope="col" className="num">
                    件数
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.sections.map((s) => (
                  <tr key={s.sectionNumber}>
                    <th scope="row">
                      <Link to={`/staff?reportId=${report.reportId}&section=${s.sectionNumber}`}>{shortLabel(s.sectionNumber)}</Link>
                    </th>
                    <td>{s.sectionNumber === 0 ? '通報全体への意見' : s.title}</td>
                    <td className="num">{n(s.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}

      <div className="dashboard__pair">
        <section aria-labelledby="by-status">
          <h2 id="by-status">状態ごと</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">状態</th>
                <th scope="col" className="num">
                  件数
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byStatus.map((s) => (
                <tr key={s.status}>
                  <th scope="row">
                    <Link to={`/staff?status=${s.status}`}>{STATUS_LABELS[s.status]}</Link>
                  </th>
                  <td className="num">{n(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="by-channel">
          <h2 id="by-channel">受付経路ごと</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">経路</th>
                <th scope="col" className="num">
                  件数
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byChannel.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">
                    <Link to={`/staff?channel=${c.channel}`}>{CHANNEL_LABELS[c.channel]}</Link>
                  </th>
                  <td className="num">{n(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="by-week">
        <h2 id="by-week">週ごとの意見数(直近12週、月曜始まり)</h2>
        <div className="chart-scroll">
          <BarChart id="chart-weeks" title="週ごとの意見数(直近12週)" bars={d.byWeek.map((w) => ({ label: `${formatDate(w.weekStart)}〜`, value: w.count }))} />
        </div>
        <div className="table-scroll" role="region" aria-labelledby="weeks-table" tabIndex={0}>
          <table>
            <caption id="weeks-table">週ごとの意見数(表)</caption>
            <thead>
              <tr>
                <th scope="col">週の初日</th>
                <th scope="col" className="num">
                  件数
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byWeek.map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row">
                    <Link to={`/staff?from=${w.weekStart}&to=${addDays(w.weekStart, 6)}`}>{formatDate(w.weekStart)}</Link>
                  </th>
                  <td className="num">{n(w.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="overdue-title">
        <h2 id="overdue-title">期限を過ぎた意見({n(d.overdueCount)}件)</h2>
        {d.overdue.length === 0 ? (
          <p>期限を過ぎた未対応の意見はありません。</p>
        ) : (
          <>
            {d.overdueCount > d.overdue.length ? (
              <p className="hint">
                期限の古い順に{n(d.overdue.length)}件を表示しています。<Link to="/staff?overdue=1">すべて受付一覧で見る</Link>
              </p>
            ) : null}
            <div className="table-scroll" role="region" aria-label="期限を過ぎた意見の一覧" tabIndex={0}>
              <table>
                <OpinionTableHead />
                <tbody>
                  {d.overdue.map((r) => (
                    <OpinionRow key={r.id} opinion={r} />
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
