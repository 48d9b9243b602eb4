// GET /track?number=XZ-…: the status of an opinion and its published reply.
// Public, so it shows neither the opinion's author nor their contact, and it
// is rate-limited per client against guessing numbers.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getReportTitleIn } from '~/models/notice-translations.server';
import { getOpinionStatusByTrackingNumber, getPublishedContacts } from '~/models/opinion-receipts.server';
import { hashClient } from '~/server/client-hash.server';
import { getDb } from '~/server/db.server';
import { formatTarget } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { checkRateLimit } from '~/utils/rate-limit.server';
import { normalizeTrackingNumber } from '~/domain/tracking-number.server';

const TRACK_LIMIT = { perWindow: 30, windowMs: 60_000 };

export const handle = { i18n: ['receipts'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [...(data ? [{ title: data.pageTitle }] : []), { name: 'robots', content: 'noindex' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const typed = (new URL(request.url).searchParams.get('number') ?? '').slice(0, 64);
  const noStore = { 'Cache-Control': 'no-store' };
  const { lng, t } = await getRequestT(request, ['receipts', 'common']);
  const pageTitle = t('site.pageTitle', { title: t('track.title') });
  if (!typed.trim()) return data({ state: 'form' as const, typed, result: null, message: null, contacts: null, pageTitle }, { headers: noStore });

  const db = getDb();
  const limit = await checkRateLimit(db, 'track', hashClient(context.clientIp ?? 'unknown'), TRACK_LIMIT.perWindow, TRACK_LIMIT.windowMs);
  if (!limit.ok) {
    return data(
      {
        state: 'limited' as const,
        typed,
        result: null,
        message: t('track.limited', { seconds: limit.retryAfterSeconds }),
        contacts: await getPublishedContacts(db),
        pageTitle,
      },
      { status: 429, headers: { ...noStore, 'Retry-After': String(limit.retryAfterSeconds) } },
    );
  }
  const number = normalizeTrackingNumber(typed);
  const result = number ? await getOpinionStatusByTrackingNumber(db, number) : null;
  if (!result) {
    return data(
      {
        state: 'missing' as const,
        typed,
        result: null,
        message: number ? t('track.notFound', { number }) : t('track.badFormat'),
        contacts: await getPublishedContacts(db),
        pageTitle,
      },
      { status: number ? 404 : 400, headers: noStore },
    );
  }
  // The notice's title in the page's language if translated; section titles (the original's) only on a page in its language.
  const notice = await getReportTitleIn(db, result.reportSlug, lng);
  const original = notice && !notice.title && notice.lang === lng;
  const shown = {
    ...result,
    reportTitle: notice?.title ?? result.reportTitle,
    noticeLang: notice?.lang ?? null,
    target: original ? formatTarget(result) : formatTarget(result, 'short', t),
  };
  return data({ state: 'found' as const, typed, result: shown, message: null, contacts: null, pageTitle }, { headers: noStore });
}

export function headers({ loaderHeaders }: { loaderHeaders: Headers }) {
  return loaderHeaders;
}

export default function TrackRoute() {
  const { state, typed, result, message, contacts } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('receipts');
  const locale = INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja;
  return (
    <div className="track">
      <h1>{t('track.title')}</h1>
      <p>{t('track.intro')}</p>
      <Form method="get" className="track-form">
        <div className="field">
          <label htmlFor="track-number">{t('track.number')}</label>
          <input
            type="text"
            id="track-number"
            name="number"
            defaultValue={typed}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={state === 'missing' ? true : undefined}
            aria-describedby={message ? 'track-message' : undefined}
          />
        </div>
        <button type="submit">{t('track.submit')}</button>
      </Form>

      {message ? (
        <div className="alert" role="alert" id="track-message">
          <p>{message}</p>
          {contacts ? (
            <p>
              {t('track.contact', { phone: contacts.phone })}
              {/* The office's address as the notice publishes it. */}
              <span lang="ja">{contacts.mailbox}</span>
            </p>
          ) : null}
        </div>
      ) : null}

      {result ? (
        <section className="track-result" aria-labelledby="track-result-title">
          <h2 id="track-result-title">{t('track.resultHeading', { number: result.trackingNumber })}</h2>
          <dl className="receipt-facts">
            <dt>{t('track.status')}</dt>
            <dd>
              <strong className="status-label">{t(`status.${result.status}`)}</strong>
            </dd>
            <dt>{t('track.receivedAt')}</dt>
            <dd>
              <time dateTime={result.receivedAt}>{formatDateTime(result.receivedAt, locale)}</time>
            </dd>
            <dt>{t('track.target')}</dt>
            <dd>
              <Link to={`/reports/${result.reportSlug}${result.sectionNumber ? `#section-${result.sectionNumber}` : '#section-0'}`} lang={result.noticeLang ?? undefined}>
                {result.reportTitle}
              </Link>
              {`${t('target.separator')}${result.target}`}
            </dd>
          </dl>
          {result.reply ? (
            <section className="official-reply" aria-labelledby="track-reply-title">
              <h3 id="track-reply-title">{t('track.replyHeading')}</h3>
              {result.reply.showOpinion && result.reply.redactedOpinion ? (
                <>
                  <h4>{t('track.opinionSummary')}</h4>
                  <p className="user-text">{result.reply.redactedOpinion}</p>
                </>
              ) : null}
              <p className="user-text">{result.reply.body}</p>
              <p className="hint">
                {result.reply.publishedAt ? (
                  <>
                    {t('track.publishedAt')}
                    <time dateTime={result.reply.publishedAt}>{formatDateTime(result.reply.publishedAt, locale)}</time>
                  </>
                ) : null}
                {result.reply.publishedAt && result.reply.updatedAt && result.reply.updatedAt !== result.reply.publishedAt ? (
                  <>
                    {' '}
                    {t('track.updatedAt').trimStart()}
                    <time dateTime={result.reply.updatedAt}>{formatDateTime(result.reply.updatedAt, locale)}</time>
                  </>
                ) : null}
              </p>
            </section>
          ) : (
            <p>{t('track.noReply')}</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
