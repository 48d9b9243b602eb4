import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { BarChart } from '~/components/staff-bar-chart';
import { OpinionRows, OpinionTableHead } from '~/components/opinion-row';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { getDashboard } from '~/models/dashboard.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { addDays } from '~/utils/local-time';

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  const dashboard = await getDashboard(getDb());
  // The overdue list shows no opinion text; it stays on the server.
  return {
    title: `${t('dashboard.title')} | ${t('meta.suffix')}`,
    dashboard: { ...dashboard, overdue: dashboard.overdue.map(({ body: _body, ...row }) => row) },
  };
}

export default function DashboardRoute() {
  const { dashboard: d } = useLoaderData<typeof loader>();
  const f = useStaffFormat();
  const { t, count, number: n, date } = f;
  const shortLabel = (sectionNumber: number) => f.target({ sectionNumber }, 'short');
  return (
    <div className="dashboard">
      <h1>{t('dashboard.title')}</h1>
      <dl className="kpis">
        <div>
          <dt>{t('dashboard.total')}</dt>
          <dd>{count(d.total)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.overdue')}</dt>
          <dd>
            <Link to="/staff?overdue=1">{count(d.overdueCount)}</Link>
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.median')}</dt>
          <dd>{d.medianDaysToReply === null ? '—' : t('dashboard.days', { days: d.medianDaysToReply.toLocaleString(f.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) })}</dd>
        </div>
        <div>
          <dt>{t('dashboard.replied')}</dt>
          <dd>{count(d.repliedCount)}</dd>
        </div>
      </dl>

      {d.bySection.map((report) => (
        <section key={report.reportId} aria-labelledby={`sections-${report.reportId}`}>
          <h2 id={`sections-${report.reportId}`}>{t('dashboard.bySection', { title: report.title })}</h2>
          <div className="chart-scroll">
            <BarChart
              id={`chart-${report.reportId}`}
              title={t('dashboard.bySectionChart', { title: report.title })}
              bars={report.sections.map((s) => ({ label: `${shortLabel(s.sectionNumber)} ${s.sectionNumber === 0 ? '' : s.title}`.trim(), value: s.count }))}
            />
          </div>
          <div className="table-scroll" role="region" aria-labelledby={`sections-table-${report.reportId}`} tabIndex={0}>
            <table>
              <caption id={`sections-table-${report.reportId}`}>{t('dashboard.bySectionTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.section')}</th>
                  <th scope="col">{t('dashboard.heading')}</th>
                  <th scope="col" className="num">
                    {t('dashboard.count')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.sections.map((s) => (
                  <tr key={s.sectionNumber}>
                    <th scope="row">
                      <Link to={`/staff?reportId=${report.reportId}&section=${s.sectionNumber}`}>{shortLabel(s.sectionNumber)}</Link>
                    </th>
                    <td>{s.sectionNumber === 0 ? t('dashboard.wholeNotice') : s.title}</td>
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
          <h2 id="by-status">{t('dashboard.byStatus')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.status')}</th>
                <th scope="col" className="num">
                  {t('dashboard.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byStatus.map((s) => (
                <tr key={s.status}>
                  <th scope="row">
                    <Link to={`/staff?status=${s.status}`}>{f.status(s.status)}</Link>
                  </th>
                  <td className="num">{n(s.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="by-channel">
          <h2 id="by-channel">{t('dashboard.byChannel')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.channel')}</th>
                <th scope="col" className="num">
                  {t('dashboard.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byChannel.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">
                    <Link to={`/staff?channel=${c.channel}`}>{f.channel(c.channel)}</Link>
                  </th>
                  <td className="num">{n(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>

      <section aria-labelledby="by-week">
        <h2 id="by-week">{t('dashboard.byWeek')}</h2>
        <div className="chart-scroll">
          <BarChart id="chart-weeks" title={t('dashboard.byWeekChart')} bars={d.byWeek.map((w) => ({ label: t('dashboard.weekFrom', { date: date(w.weekStart) }), value: w.count }))} />
        </div>
        <div className="table-scroll" role="region" aria-labelledby="weeks-table" tabIndex={0}>
          <table>
            <caption id="weeks-table">{t('dashboard.byWeekTable')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.weekStart')}</th>
                <th scope="col" className="num">
                  {t('dashboard.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {d.byWeek.map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row">
                    <Link to={`/staff?from=${w.weekStart}&to=${addDays(w.weekStart, 6)}`}>{date(w.weekStart)}</Link>
                  </th>
                  <td className="num">{n(w.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="overdue-title">
        <h2 id="overdue-title">{t('dashboard.overdueTitle', { count: d.overdueCount })}</h2>
        {d.overdue.length === 0 ? (
          <p>{t('dashboard.overdueNone')}</p>
        ) : (
          <>
            {d.overdueCount > d.overdue.length ? (
              <p className="hint">
                {t('dashboard.overdueShown', { count: d.overdue.length })}
                <Link to="/staff?overdue=1">{t('dashboard.overdueAll')}</Link>
              </p>
            ) : null}
            <div className="table-scroll" role="region" aria-label={t('dashboard.overdueList')} tabIndex={0}>
              <table>
                <OpinionTableHead />
                <OpinionRows opinions={d.overdue} />
              </table>
            </div>
          </>
        )}
      </section>
    </div>
  );
}
