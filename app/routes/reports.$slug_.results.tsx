// GET /reports/:slug/results — the public results board: opinions received
// (by channel), answered, on time and how fast, per section and in total,
// with the measures that drew the most opinions. Every chart has its figures
// in a table beside it; the same figures download as CSV and JSON.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { PrintButton } from '~/components/print-button';
import { ResultsChart } from '~/components/results-chart';
import { getResults, type Count } from '~/models/results.server';
import { getDb } from '~/server/db.server';
import { quoteTitle } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import noticesStyles from '~/styles/notices.css';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: noticesStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `対応状況: ${data.results.title} | 意見箱` },
        { name: 'description', content: `${data.results.title}に寄せられた意見の件数、回答状況、回答までの日数。` },
      ]
    : [{ title: 'ページが見つかりません | 意見箱' }];

export async function loader({ params }: LoaderFunctionArgs) {
  const results = await getResults(getDb(), params.slug ?? '');
  if (!results) throw new Response('Not Found', { status: 404 });
  return { results };
}

function count(v: Count): string {
  return v === '<3' ? '3件未満' : `${v.toLocaleString('ja-JP')}件`;
}

function cell(v: Count): string {
  return v === '<3' ? '<3' : v.toLocaleString('ja-JP');
}

export default function ResultsRoute() {
  const { results: r } = useLoaderData<typeof loader>();
  const channels = r.total.byChannel;
  return (
    <article className="results" aria-labelledby="results-title">
      <p className="back-link">
        <Link to={`/reports/${r.slug}`}>← 通報{quoteTitle(r.title)}へ戻る</Link>
      </p>
      <h1 id="results-title">意見への対応状況</h1>
      <p>
        通報{quoteTitle(r.title)}に寄せられた意見の件数と、区の回答の状況です。数値はすべて受付記録から自動で集計しています(
        <time dateTime={r.generatedAt}>{formatDateTime(r.generatedAt)}</time> 現在)。
      </p>
      <div className="toolbar">
        <PrintButton />
        <a href={`/reports/${r.slug}/results.csv`} download>
          CSVでダウンロード
        </a>
        <a href={`/reports/${r.slug}/results.json`}>JSONでダウンロード</a>
      </div>

      <section aria-labelledby="total-title">
        <h2 id="total-title">通報全体</h2>
        <dl className="kpis">
          <div>
            <dt>寄せられた意見</dt>
            <dd>{count(r.total.received)}</dd>
          </div>
          <div>
            <dt>回答済み</dt>
            <dd>{count(r.total.answered)}</dd>
          </div>
          <div>
            <dt>期限内に回答した割合</dt>
            <dd>{r.total.onTimePercent === null ? '—' : `${r.total.onTimePercent}%`}</dd>
          </div>
          <div>
            <dt>初回回答までの稼働日数(中央値)</dt>
            <dd>{r.total.medianWorkingDays === null ? '—' : `${r.total.medianWorkingDays}日`}</dd>
          </div>
        </dl>
        <div className="dashboard__pair">
          <div className="chart-scroll">
            <ResultsChart id="chart-channels" title="受付経路ごとの意見数" bars={channels.map((c) => ({ label: c.label, value: c.count }))} />
          </div>
          <table>
            <caption>受付経路ごとの意見数</caption>
            <thead>
              <tr>
                <th scope="col">受付経路</th>
                <th scope="col" className="num">
                  件数
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
        <h2 id="sections-title">項ごとの状況</h2>
        <div className="chart-scroll">
          <ResultsChart
            id="chart-sections"
            title="項ごとの意見数"
            bars={r.sections.map((s) => ({ label: s.sectionNumber === 0 ? '通報全体' : `第${s.sectionNumber}項`, value: s.received }))}
          />
        </div>
        <div className="chart-scroll">
          <ResultsChart
            id="chart-on-time"
            title="項ごとの期限内回答率(%)"
            max={100}
            bars={r.sections.map((s) => ({ label: s.sectionNumber === 0 ? '通報全体' : `第${s.sectionNumber}項`, value: s.onTimePercent, unit: '%' }))}
          />
        </div>
        <div className="table-scroll" role="region" aria-labelledby="sections-table" tabIndex={0}>
          <table className="results-table">
            <caption id="sections-table">項ごとの意見数・回答状況(表)</caption>
            <thead>
              <tr>
                <th scope="col">項</th>
                <th scope="col" className="num">
                  意見数
                </th>
                {channels.map((c) => (
                  <th key={c.channel} scope="col" className="num">
                    うち{c.label}
                  </th>
                ))}
                <th scope="col" className="num">
                  回答済み
                </th>
                <th scope="col" className="num">
                  期限内回答率
                </th>
                <th scope="col" className="num">
                  回答までの稼働日数(中央値)
                </th>
              </tr>
            </thead>
            <tbody>
              {r.sections.map((s) => (
                <tr key={s.sectionNumber}>
                  <th scope="row">{s.label}</th>
                  <td className="num">{cell(s.received)}</td>
                  {s.byChannel.map((c) => (
                    <td key={c.channel} className="num">
                      {cell(c.count)}
                    </td>
                  ))}
                  <td className="num">{cell(s.answered)}</td>
                  <td className="num">{s.onTimePercent === null ? '—' : `${s.onTimePercent}%`}</td>
                  <td className="num">{s.medianWorkingDays === null ? '—' : `${s.medianWorkingDays}日`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="measures-title">
        <h2 id="measures-title">意見の多い措置</h2>
        {r.topMeasures.length === 0 ? (
          <p>措置ごとの意見はまだありません。</p>
        ) : (
          <ol className="results-measures">
            {r.topMeasures.map((m) => (
              <li key={`${m.sectionNumber}-${m.itemNumber}`}>
                <a href={`/reports/${r.slug}#section-${m.sectionNumber}-${m.itemNumber}`}>{m.label}</a>: {count(m.count)}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="notes-title" className="results-notes">
        <h2 id="notes-title">数値の見方</h2>
        <ul>
          <li>1件または2件の数は、意見を寄せた方が特定されないよう「&lt;3」(3件未満)と表示します。一つだけを隠すと合計との差で分かってしまう場合は、次に少ない数も隠します。</li>
          <li>「回答済み」は、区の回答が現在公開されている意見の数です。</li>
          <li>「期限内回答率」は、回答期限を過ぎた意見と回答済みの意見(重複・対象外を除く)のうち、期限までに回答を公開したものの割合です。もとになる意見が3件未満のときは「—」と表示します。</li>
          <li>「稼働日数」は、受付日の翌日から最初の回答を公開した日までの平日(月〜金)の日数です。回答が3件未満のときは「—」と表示します。</li>
          <li>日時はすべて中国標準時(Asia/Shanghai)です。</li>
        </ul>
      </section>
    </article>
  );
}
