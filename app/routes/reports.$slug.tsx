import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { ChannelsBlock } from '~/components/channels-block';
import { OpinionForm } from '~/components/opinion-form';
import { PrintButton } from '~/components/print-button';
import { SectionCounts, SectionReplies } from '~/components/section-replies';
import { countRepliesBySection, listLatestRepliesBySection } from '~/models/replies-public.server';
import { FormsClosed, PeriodLine, type PeriodView } from '~/components/period-notice';
import { getReportPage, listRevisionHistory, type ReportPage } from '~/models/reports.server';
import {
  closedMessage,
  DEFAULT_OFFICE_HOURS,
  describeChange,
  describeDaysLeft,
  describePeriod,
  isAcceptingOpinions,
  offlineChannelsLine,
} from '~/domain/comment-period';
import { getDb } from '~/server/db.server';
import { formatTarget, itemLabel, toKanjiNumber } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { PLACEHOLDER } from '~/server/page-cache.server';
import { createFormToken } from '~/domain/tracking-number.server';
import { attachmentLimits } from '~/server/attachment-upload.server';
import { countView, isHumanView, pendingViews } from '~/server/view-counter.server';

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.report.title} | 意見箱` },
        { name: 'description', content: data.report.intro[0]?.slice(0, 120) ?? data.report.title },
      ]
    : [{ title: 'ページが見つかりません | 意見箱' }];

/**
 * What the page renders of the report. The loader's data is sent twice (as the
 * HTML and as hydration data), so ids and bookkeeping the page never shows stay
 * on the server.
 */
function shownReport(report: ReportPage) {
  return {
    slug: report.slug,
    title: report.title,
    breadcrumb: report.breadcrumb,
    publishedAt: report.publishedAt,
    sourceOffice: report.sourceOffice,
    intro: report.intro,
    summary: report.summary,
    sections: report.sections,
    nextSteps: report.nextSteps,
    closing: report.closing,
    phone: report.phone,
    mailbox: report.mailbox,
    issuer: report.issuer,
    issuedOn: report.issuedOn,
  };
}

/** The period worded on the server at render time (the page cache re-renders when a bound passes or the day changes). */
function periodView(report: ReportPage, now: Date): PeriodView {
  const p = report.period;
  return {
    line: describePeriod(p),
    daysLeft: describeDaysLeft(p, now),
    changes: p.changes.map(describeChange),
    closed: isAcceptingOpinions(p, now) ? null : closedMessage(p, now),
    offline: offlineChannelsLine(report.phone, report.mailbox, p.officeHours),
    officeHours: p.officeHours || DEFAULT_OFFICE_HOURS,
  };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const report = await getReportPage(db, params.slug ?? '');
  if (!report) throw new Response('Not Found', { status: 404 });
  const [latest, counts, revisions] = await Promise.all([
    listLatestRepliesBySection(db, report.id),
    countRepliesBySection(db, report.id),
    listRevisionHistory(db, report.id),
  ]);
  const replies = Object.fromEntries(latest);
  const replyCounts = Object.fromEntries(counts);
  const period = periodView(report, new Date());
  if (context.renderForCache) {
    // Rendered once per content version by the page cache, which fills these in per response.
    return data(
      { report: { ...shownReport(report), viewCount: PLACEHOLDER.views }, formToken: PLACEHOLDER.token, replies, replyCounts, period, revisions, attachmentLimits: attachmentLimits() },
      { headers: { 'x-report-id': String(report.id), 'x-report-views': String(report.viewCount) } },
    );
  }
  if (isHumanView(request)) countView(report.id);
  return {
    report: { ...shownReport(report), viewCount: (report.viewCount + pendingViews(report.id)).toLocaleString('ja-JP') },
    formToken: createFormToken(),
    replies,
    replyCounts,
    period,
    revisions,
    attachmentLimits: attachmentLimits(),
  };
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

// An opinion sent in place changes nothing on this page: do not reload it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.endsWith('/opinions') ? false : defaultShouldRevalidate;

export default function ReportRoute() {
  const { report, formToken, replies, replyCounts, period, revisions, attachmentLimits: limits } = useLoaderData<typeof loader>();
  const form = (section: { number: number; title: string; items: Array<{ number: number; heading: string }> }) =>
    period.closed ? <FormsClosed period={period} /> : <OpinionForm slug={report.slug} section={section} formToken={`${formToken}-${section.number}`} attachmentLimits={limits} />;
  const sectionReplies = (number: number, itemHeadings: Record<number, string>) => (
    <SectionReplies
      slug={report.slug}
      sectionNumber={number}
      total={replies[number]?.total ?? 0}
      replies={replies[number]?.replies ?? []}
      itemHeadings={itemHeadings}
    />
  );
  return (
    <article className="report" aria-labelledby="report-title">
      <nav className="breadcrumb" aria-label="現在の場所">
        <ol>
          {report.breadcrumb.map((crumb, i) => (
            <li key={i}>{crumb}</li>
          ))}
        </ol>
      </nav>
      <h1 id="report-title">{report.title}</h1>
      <dl className="report-meta">
        <div>
          <dt>公開日</dt>
          <dd>
            <time dateTime={report.publishedAt}>{formatDateTime(report.publishedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>情報ソース</dt>
          <dd>{report.sourceOffice}</dd>
        </div>
        <div>
          <dt>閲覧回数</dt>
          <dd>{report.viewCount}</dd>
        </div>
      </dl>
      <PeriodLine period={period} />
      <div className="toolbar">
        <PrintButton />
        <a href={`/reports/${report.slug}/results`}>意見への対応状況を見る</a>
      </div>

      <ChannelsBlock
        phone={report.phone}
        mailbox={report.mailbox}
        headingId="channels-top"
        webFormHref="#section-0"
        officeHours={period.officeHours}
        webClosed={period.closed}
      />

      {report.intro.map((p, i) => (
        <p key={i}>{p}</p>
      ))}

      <section className="summary" aria-labelledby="summary-title">
        <h2 id="summary-title">巡視整備の結果</h2>
        <p>{report.summary}</p>
      </section>

      <nav className="toc" aria-labelledby="toc-title">
        <h2 id="toc-title">目次</h2>
        <ol>
          {report.sections.map((s) => (
            <li key={s.number}>
              <a href={`#section-${s.number}`}>{`${toKanjiNumber(s.number)}、${s.title}`}</a>
              <SectionCounts received={replyCounts[s.number]?.received ?? 0} answered={replyCounts[s.number]?.answered ?? 0} />
            </li>
          ))}
          <li>
            <a href="#next-steps">次のステップ</a>
          </li>
          <li>
            <a href="#section-0">通報全体への意見</a>
            <SectionCounts received={replyCounts[0]?.received ?? 0} answered={replyCounts[0]?.answered ?? 0} />
          </li>
        </ol>
      </nav>

      {report.sections.map((section) => (
        <section key={section.number} id={`section-${section.number}`} className="section" aria-labelledby={`section-${section.number}-title`}>
          <h2 id={`section-${section.number}-title`}>
            {`${toKanjiNumber(section.number)}、${section.title}`}
            <a className="permalink" href={`#section-${section.number}`} aria-label={`${formatTarget({ sectionNumber: section.number }, 'short')}へのリンク`}>
              #
            </a>
          </h2>
          {section.items.map((item) => {
            const id = `section-${section.number}-${item.number}`;
            return (
              <div key={item.number} id={id} className="item">
                <h3>
                  {`${itemLabel(item.number)}${item.heading}`}
                  <a className="permalink" href={`#${id}`} aria-label={`${formatTarget({ sectionNumber: section.number, itemNumber: item.number }, 'short')}へのリンク`}>
                    #
                  </a>
                </h3>
                {item.body ? <p>{item.body}</p> : null}
              </div>
            );
          })}
          {sectionReplies(section.number, Object.fromEntries(section.items.map((i) => [i.number, i.heading])))}
          {form(section)}
        </section>
      ))}

      <section id="next-steps" className="section" aria-labelledby="next-steps-title">
        <h2 id="next-steps-title">
          次のステップ
          <a className="permalink" href="#next-steps" aria-label="次のステップへのリンク">
            #
          </a>
        </h2>
        {report.nextSteps.map((p, i) => (
          <p key={i}>{p}</p>
        ))}
      </section>

      <section id="section-0" className="section closing" aria-labelledby="closing-title">
        <h2 id="closing-title">
          ご意見をお寄せください
          <a className="permalink" href="#section-0" aria-label="通報全体への意見へのリンク">
            #
          </a>
        </h2>
        <p>{report.closing}</p>
        <ChannelsBlock
          phone={report.phone}
          mailbox={report.mailbox}
          headingId="channels-bottom"
          level={3}
          officeHours={period.officeHours}
          webClosed={period.closed}
        />
        {sectionReplies(0, {})}
        {form({ number: 0, title: '通報全体', items: [] })}
      </section>

      {revisions.length > 0 ? (
        <section id="revisions" className="section revisions" aria-labelledby="revisions-title">
          <h2 id="revisions-title">改訂履歴</h2>
          <ol>
            {revisions.map((r) => (
              <li key={r.revisionNo}>
                <time dateTime={r.importedAt}>{formatDateTime(r.importedAt)}</time> 改訂{r.revisionNo}: {r.changes.join('、')}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      <footer className="issuer">
        <p>
          {report.issuer}
          <br />
          <time dateTime={report.issuedOn}>{formatDate(report.issuedOn)}</time>
        </p>
      </footer>
    </article>
  );
}
