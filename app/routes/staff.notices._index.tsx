// /staff/notices — every notice with its state (draft, upcoming, open, closed),
// its period, its latest revision and its counts.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listNotices } from '~/models/notice-admin.server';
import { useNoticeWords } from '~/components/notice-preview';
import { getRequestT } from '~/i18n/i18n.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];
export const handle = { i18n: ['admin'] };
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request, 'notices');
  const { t } = await getRequestT(request, 'admin');
  return { title: t('notices.index.meta'), notices: await listNotices(getDb()) };
}

export default function NoticesIndex() {
  const { notices } = useLoaderData<typeof loader>();
  const { t, locale, at, state } = useNoticeWords();
  const count = (n: number) => n.toLocaleString(locale);
  return (
    <div>
      <h1>{t('notices.index.heading')}</h1>
      <p>
        <Link to="/staff/notices/new">{t('notices.index.new')}</Link>
      </p>
      {notices.length === 0 ? (
        <p>{t('notices.index.empty')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="notices-table" tabIndex={0}>
          <table className="notice-states">
            <caption id="notices-table">{t('notices.index.caption', { count: notices.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notices.index.columns.title')}</th>
                <th scope="col">{t('notices.index.columns.state')}</th>
                <th scope="col">{t('notices.period.label')}</th>
                <th scope="col">{t('notices.index.columns.revision')}</th>
                <th scope="col" className="num">
                  {t('notices.index.columns.opinions')}
                </th>
                <th scope="col" className="num">
                  {t('notices.index.columns.answered')}
                </th>
                <th scope="col" className="num">
                  {t('notices.index.columns.outsidePeriod')}
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
                  <td>{state(n.state)}</td>
                  <td>
                    {n.opensAt || n.closesAt ? (
                      t('notices.index.range', {
                        from: n.opensAt ? at(n.opensAt) : t('notices.index.fromPublication'),
                        to: n.closesAt ? at(n.closesAt) : t('notices.index.noEnd'),
                      })
                    ) : (
                      t('notices.index.noPeriod')
                    )}
                  </td>
                  <td>
                    {t('notices.index.revisionAt', { no: n.revisionNo, at: at(n.updatedAt) })}
                  </td>
                  <td className="num">{count(n.opinions)}</td>
                  <td className="num">{count(n.answered)}</td>
                  <td className="num">{count(n.outsidePeriod)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
