import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { useLoaderData, type ShouldRevalidateFunction } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ChannelsBlock } from '~/components/channels-block';
import { OpinionForm } from '~/components/opinion-form';
import { Permalink } from '~/components/permalink';
import { PrintButton } from '~/components/print-button';
import { NoticeSectionText } from '~/components/notice-section-text';
import { ReportToc } from '~/components/report-toc';
import { SectionReplies } from '~/components/section-replies';
import { FormsClosed, PeriodLine } from '~/components/period-notice';
import { StaticPart } from '~/components/static-part';
import { loadReportView } from '~/models/report-view.server';
import { getReportPage } from '~/models/reports.server';
import { getDb } from '~/server/db.server';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { createFormToken } from '~/domain/tracking-number.server';
import { attachmentLimits } from '~/server/attachment-upload.server';
import { countView, isHumanView, pendingViews } from '~/server/view-counter.server';

// A document load of this page is not hydrated: no Remix scripts, only the
// root's StaticPageScript (decision 017). A client-side navigation from a
// hydrated page still renders it with React.
export const handle = { i18n: ['reports', 'attachments'], hydrate: false };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.pageTitle },
        { name: 'description', content: data.report.intro[0]?.slice(0, 120) ?? data.report.title },
      ]
    : [];

// The page cache answers this route's documents and loader data with the
// same bytes whatever their query but `lng` and `_routes`
// (page-cache-request.server.ts): a query parameter read here, or by a component of
// this page, must become part of its key.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const report = await getReportPage(db, params.slug ?? '');
  if (!report) throw new Response('Not Found', { status: 404 });
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  const view = await loadReportView(db, report, lng, t);
  if (!context.renderForCache && isHumanView(request)) countView(report.id);
  const page = {
    ...view,
    report: {
      ...view.report,
      // Rendered on an opinion thread for the main thread's cache: that thread's count.
      viewCount: (report.viewCount + (context.viewsPending?.[report.id] ?? pendingViews(report.id))).toLocaleString(INTL_LOCALES[lng]),
    },
    attachmentLimits: attachmentLimits(),
  };
  if (context.renderForCache) {
    // The page cache sends these bytes to every reader of this language
    // (decision 015): no form token (double submissions are caught by content
    // and client), the view count as of this render.
    return data({ ...page, formToken: '' }, { headers: { 'x-cached-page': 'report', 'x-report-id': String(report.id) } });
  }
  return { ...page, formToken: createFormToken() };
}

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

// An opinion sent in place changes nothing on this page: do not reload it.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  formAction?.endsWith('/opinions') ? false : defaultShouldRevalidate;

export default function ReportRoute() {
  const page = useLoaderData<typeof loader>();
  const { report, formToken, replies, replyCounts, period, revisions, notice, attachmentLimits: limits } = page;
  const { t, i18n } = useTranslation('reports');
  const locale = INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja;
  const nl = notice.lang;
  const form = (section: { number: number; title: string; items: Array<{ number: number; heading: string }> }) =>
    period.closed ? (
      <FormsClosed period={period} phone={report.phone} mailbox={report.mailbox} noticeLang={nl} />
    ) : (
      <OpinionForm
        slug={report.slug}
        section={section}
        formToken={formToken ? `${formToken}-${section.number}` : ''}
        noticeLang={nl}
        attachmentLimits={limits}
        deferred
      />
    );
  const sectionReplies = (number: number, itemHeadings: Record<number, string>) => (
    <SectionReplies
      slug={report.slug}
      sectionNumber={number}
      total={replies[number]?.total ?? 0}
      replies={replies[number]?.replies ?? []}
      itemHeadings={itemHeadings}
      noticeLang={nl}
    />
  );
  return (
    <article className="report" aria-labelledby="report-title">
      {/* Everything but the toolbar and the forms is text: kept as the server sent it while the page hydrates (decision 017). */}
      <StaticPart id="report-head" version={page}>
        {() => (
          <>
            <nav className="breadcrumb" aria-label={t('common:breadcrumb')}>
              <ol lang={notice.original}>
                {report.breadcrumb.map((crumb, i) => (
                  <li key={i}>{crumb}</li>
                ))}
              </ol>
            </nav>
            <h1 id="report-title" lang={nl}>
              {report.title}
            </h1>
            {notice.untranslated ? (
              <p className="notice notice-language" role="note">
                {t('notice.onlyIn', { language: t(`common:languageNames.${notice.original}`) })}
              </p>
            ) : null}
            <dl className="report-meta">
              <div>
                <dt>{t('meta.publishedAt')}</dt>
                <dd>
                  <time dateTime={report.publishedAt}>{formatDateTime(report.publishedAt, locale)}</time>
                </dd>
              </div>
              <div>
                <dt>{t('meta.source')}</dt>
                <dd lang={nl}>{report.sourceOffice}</dd>
              </div>
              <div>
                <dt>{t('meta.views')}</dt>
                <dd>{report.viewCount}</dd>
              </div>
            </dl>
            <PeriodLine period={period} />
          </>
        )}
      </StaticPart>
      <div className="toolbar">
        <a href={`/reports/${report.slug}/results`}>{t('toolbar.results')}</a>
        {/* The label is for StaticPageScript, which makes the button on a document load (not hydrated). */}
        <span className="toolbar__print" data-print-label={t('common:print')}>
          <PrintButton />
        </span>
      </div>

      <StaticPart id="report-intro" version={page}>
        {() => (
          <>
            <ChannelsBlock
              phone={report.phone}
              mailbox={report.mailbox}
              headingId="channels-top"
              webFormHref="#section-0"
              officeHours={period.officeHours}
              webClosed={period.closed}
              noticeLang={nl}
            />

            <div lang={nl} className="notice-text">
              {report.intro.map((p, i) => (
                <p key={i}>{p}</p>
              ))}
            </div>

            <section className="summary" aria-labelledby="summary-title">
              <h2 id="summary-title">{t('summary')}</h2>
              <p lang={nl}>{report.summary}</p>
            </section>

            <ReportToc sections={report.sections} counts={replyCounts} noticeLang={nl} />
          </>
        )}
      </StaticPart>

      {report.sections.map((section) => (
        <section
          key={section.number}
          id={`section-${section.number}`}
          className="section"
          aria-labelledby={`section-${section.number}-title`}
        >
          <StaticPart id={`section-${section.number}-text`} version={page}>
            {() => (
              <>
                <NoticeSectionText section={section} noticeLang={nl} />
                {sectionReplies(section.number, Object.fromEntries(section.items.map((i) => [i.number, i.heading])))}
              </>
            )}
          </StaticPart>
          {form(section)}
        </section>
      ))}

      <section id="next-steps" className="section" aria-labelledby="next-steps-title">
        <StaticPart id="next-steps-text" version={page}>
          {() => (
            <>
              <h2 id="next-steps-title">
                {t('nextSteps')}
                <Permalink href="#next-steps" target={t('nextSteps')} />
              </h2>
              <div lang={nl} className="notice-text">
                {report.nextSteps.map((p, i) => (
                  <p key={i}>{p}</p>
                ))}
              </div>
            </>
          )}
        </StaticPart>
      </section>

      <section id="section-0" className="section closing" aria-labelledby="closing-title">
        <StaticPart id="section-0-text" version={page}>
          {() => (
            <>
              <h2 id="closing-title">
                {t('closingHeading')}
                <Permalink href="#section-0" target={t('wholeNotice')} />
              </h2>
              <p lang={nl}>{report.closing}</p>
              <ChannelsBlock
                phone={report.phone}
                mailbox={report.mailbox}
                headingId="channels-bottom"
                level={3}
                officeHours={period.officeHours}
                webClosed={period.closed}
                noticeLang={nl}
              />
              {sectionReplies(0, {})}
            </>
          )}
        </StaticPart>
        {form({ number: 0, title: t('common:target.whole'), items: [] })}
      </section>

      <StaticPart id="report-end" version={page}>
        {() => (
          <>
            {revisions.length > 0 ? (
              <section id="revisions" className="section revisions" aria-labelledby="revisions-title">
                <h2 id="revisions-title">{t('revisions.heading')}</h2>
                <ol>
                  {revisions.map((r) => (
                    <li key={r.revisionNo}>
                      <time dateTime={r.importedAt}>{formatDateTime(r.importedAt, locale)}</time>{' '}
                      {t('revisions.number', { n: r.revisionNo })}{' '}
                      {r.changes.join(t('common:revisionChange.separator'))}
                    </li>
                  ))}
                </ol>
              </section>
            ) : null}

            <footer className="issuer">
              <p>
                <span lang={nl}>{report.issuer}</span>
                <br />
                <time dateTime={report.issuedOn}>{formatDate(report.issuedOn, locale)}</time>
              </p>
            </footer>
          </>
        )}
      </StaticPart>
    </article>
  );
}
