// GET /reports/:slug/results — the public results board: opinions received
// (by channel), answered, on time and how fast, per section and in total,
// with the measures that drew the most opinions. Every chart has its figures
// in a table beside it; the same figures download as CSV and JSON.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Trans, useTranslation } from 'react-i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getReportTitleIn } from '~/models/notice-translations.server';
import { PrintButton } from '~/components/print-button';
import { ResultsChart } from '~/components/results-chart';
import { getCachedResults } from '~/models/results-cache.server';
import type { Count } from '~/models/results.server';
import { getDb } from '~/server/db.server';
import { reportContentVersion } from '~/server/page-version.server';
import { formatTarget, quoteTitle, type Translate } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];

export const handle = { i18n: ['reports'] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: 'description', content: data.meta.description }] : [];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = getDb();
  const results = await getCachedResults(db, params.slug ?? '', await reportContentVersion());
  if (!results) throw new Response('Not Found', { status: 404 });
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  const notice = await getReportTitleIn(db, results.slug, lng);
  const title = notice?.title ?? results.title;
  return {
    results: { ...results, title },
    // Section titles in the labels are the original's: in full only on a page in its language.
    original: !!notice && !notice.title && notice.lang === lng,
    noticeLang: notice?.lang ?? null,
    meta: { title: t('site.pageTitle', { title: t('results.title', { title }) }), description: t('results.description', { title }) },
  };
}

function useCounts(t: Translate, locale: string) {
  return {
    count: (v: Count) => (v === '<3' ? t('results.fewer') : t('results.count', { n: v.toLocaleString(locale) })),
    cell: (v: Count) => (v === '<3' ? '<3' : v.toLocaleString(locale)),
  };
}

export default function ResultsRoute() {
  const { results: r, original, noticeLang } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('reports');
  const locale = INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja;
  const { count, cell } = useCounts(t, locale);
  const channels = r.total.byChannel.map((c) => ({ ...c, label: t(`channel.${c.channel}`) }));
  const sectionLabel = (s: { sectionNumber: number | null; label: string }) =>
    original || s.sectionNumber === null ? s.label : formatTarget({ sectionNumber: s.sectionNumber }, 'short', t);
  const quoted = (title: string) => (original ? quoteTitle(title) : t('target.quote', { title }));
  return (
    <article className="results" aria-labelledby="results-title">
      <p className="back-link">
        <Link to={`/reports/${r.slug}`} lang={noticeLang ?? undefined}>
          {t('results.back', { title: quoted(r.title) })}
        </Link>
      </p>
      <h1 id="results-title">{t('results.heading')}</h1>
      <p>
        <Trans t={t} i18nKey="results.intro" values={{ title: quoted(r.title) }} components={[<span key="title" lang={noticeLang ?? undefined} />]} />
        <time dateTime={r.generatedAt}>{formatDateTime(r.generatedAt, locale)}</time>
        {t('results.asOf')}
      </p>
      <div className="toolbar">
        <PrintButton />
        <a href={`/reports/${r.slug}/results.csv`} download>
          {t('results.csv')}
        </a>
        <a href={`/reports/${r.slug}/results.json`}>{t('results.json')}</a>
      </div>

      <section aria-labelledby="total-title">
        <h2 id="total-title">{t('results.total')}</h2>
        <dl className="kpis">
          <div>
            <dt>{t('results.received')}</dt>
            <dd>{count(r.total.received)}</dd>
          </div>
          <div>
            <dt>{t('results.answered')}</dt>
            <dd>{count(r.total.answered)}</dd>
          </div>
          <div>
            <dt>{t('results.onTime')}</dt>
            <dd>{r.total.onTimePercent === null ? '—' : `${r.total.onTimePercent}%`}</dd>
          </div>
          <div>
            <dt>{t('results.medianDays')}</dt>
            <dd>{r.total.medianWorkingDays === null ? '—' : t('results.days', { n: r.total.medianWorkingDays })}</dd>
          </div>
        </dl>
        <div className="dashboard__pair">
          <div className="chart-scroll">
            <ResultsChart id="chart-channels" title={t('results.byChannel')} bars={channels.map((c) => ({ label: c.label, value: c.count }))} />
          </div>
          <table>
            <caption>{t('results.byChannel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.channel')}</th>
                <th scope="col" className="num">
                  {t('results.number')}
                </th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={c.channel}>
                  <th scope="row">{c.label}</th>
                  <td className="num">{cell(c.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="sections-title">
        <h2 id="sections-title">{t('results.sections')}</h2>
        <div className="chart-scroll">
          <ResultsChart
            id="chart-sections"
            title={t('results.bySection')}
            bars={r.sections.map((s) => ({ label: s.sectionNumber === 0 ? t('target.whole') : t('results.sectionShort', { n: s.sectionNumber }), value: s.received }))}
          />
        </div>
        <div className="chart-scroll">
          <ResultsChart
            id="chart-on-time"
            title={t('results.onTimeBySection')}
            max={100}
            bars={r.sections.map((s) => ({ label: s.sectionNumber === 0 ? t('target.whole') : t('results.sectionShort', { n: s.sectionNumber }), value: s.onTimePercent, unit: '%' }))}
          />
        </div>
        <div className="table-scroll" role="region" aria-labelledby="sections-table" tabIndex={0}>
          <table className="results-table">
            <caption id="sections-table">{t('results.sectionsTable')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.section')}</th>
                <th scope="col" className="num">
                  {t('results.opinions')}
                </th>
                {channels.map((c) => (
                  <th key={c.channel} scope="col" className="num">
                    {t('results.ofWhich', { channel: c.label })}
                  </th>
                ))}
                <th scope="col" className="num">
                  {t('results.answered')}
                </th>
                <th scope="col" className="num">
                  {t('results.onTimeShort')}
                </th>
                <th scope="col" className="num">
                  {t('results.medianShort')}
                </th>
              </tr>
            </thead>
            <tbody>
              {r.sections.map((s) => (
                <tr key={s.sectionNumber}>
                  <th scope="row">
                    {sectionLabel(s)}
                  </th>
                  <td className="num">{cell(s.received)}</td>
                  {s.byChannel.map((c) => (
                    <td key={c.channel} className="num">
                      {cell(c.count)}
                    </td>
                  ))}
                  <td className="num">{cell(s.answered)}</td>
                  <td className="num">{s.onTimePercent === null ? '—' : `${s.onTimePercent}%`}</td>
                  <td className="num">{s.medianWorkingDays === null ? '—' : t('results.days', { n: s.medianWorkingDays })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="measures-title">
        <h2 id="measures-title">{t('results.measures')}</h2>
        {r.topMeasures.length === 0 ? (
          <p>{t('results.noMeasures')}</p>
        ) : (
          <ol className="results-measures">
            {r.topMeasures.map((m) => (
              <li key={`${m.sectionNumber}-${m.itemNumber}`}>
                <a href={`/reports/${r.slug}#section-${m.sectionNumber}-${m.itemNumber}`}>
                  {original ? m.label : formatTarget({ sectionNumber: m.sectionNumber, itemNumber: m.itemNumber }, 'short', t)}
                </a>
                : {count(m.count)}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="notes-title" className="results-notes">
        <h2 id="notes-title">{t('results.notes')}</h2>
        <ul>
          <li>{t('results.note1')}</li>
          <li>{t('results.note2')}</li>
          <li>{t('results.note3')}</li>
          <li>{t('results.note4')}</li>
          <li>{t('results.note5')}</li>
        </ul>
      </section>
    </article>
  );
}
