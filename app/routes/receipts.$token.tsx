// The citizen's receipt, behind an unguessable token: never indexed, never the
// name or contact (the model does not even read them).
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { Trans, useTranslation } from 'react-i18next';
import { INTL_LOCALES, type Language } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { getReportTitleIn } from '~/models/notice-translations.server';
import { getOpinionByReceiptToken } from '~/models/opinion-receipts.server';
import { getDb } from '~/server/db.server';
import { formatTarget } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { formatFileSize } from '~/schemas/attachment-rules';

export const handle = { i18n: ['receipts', 'attachments'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...(data ? [{ title: data.pageTitle }] : []),
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = getDb();
  const receipt = await getOpinionByReceiptToken(db, params.token ?? '');
  if (!receipt) throw new Response('Not Found', { status: 404, headers: { 'X-Robots-Tag': 'noindex' } });
  const { lng, t } = await getRequestT(request, ['receipts', 'common']);
  const translation = await getReportTitleIn(db, receipt.reportSlug, lng);
  return data(
    {
      receipt: { ...receipt, reportTitle: translation?.title ?? receipt.reportTitle, mailbox: translation?.mailbox ?? receipt.mailbox },
      noticeLang: translation?.lang ?? null,
      // Section titles are the original's: named in full only on a page in the notice's own language.
      targetStyle: (translation && !translation.title && translation.lang === lng ? 'long' : 'short') as 'long' | 'short',
      pageTitle: t('site.pageTitle', { title: t('receipt.title', { number: receipt.trackingNumber }) }),
    },
    // The token is the key to this page: keep it out of caches and Referer headers.
    { headers: { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' } },
  );
}

export function headers({ loaderHeaders }: { loaderHeaders: Headers }) {
  return loaderHeaders;
}

export default function ReceiptRoute() {
  const { receipt, noticeLang, targetStyle } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('receipts');
  const locale = INTL_LOCALES[i18n.language as Language] ?? INTL_LOCALES.ja;
  const lang = noticeLang ?? undefined;
  const target = `${formatTarget(receipt, targetStyle, t)}${receipt.sectionNumber !== 0 && receipt.itemNumber === null ? t('receipt.wholeSection') : ''}`;
  const trackHref = `/track?number=${encodeURIComponent(receipt.trackingNumber)}`;
  return (
    <article className="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">{t('receipt.heading')}</h1>
      <div className="notice">
        <p>
          {t('receipt.number')} <strong className="tracking-number">{receipt.trackingNumber}</strong>
        </p>
        <p>{t('receipt.keep')}</p>
      </div>
      <dl className="receipt-facts">
        <dt>{t('receipt.receivedAt')}</dt>
        <dd>
          <time dateTime={receipt.receivedAt}>{formatDateTime(receipt.receivedAt, locale)}</time>
        </dd>
        <dt>{t('receipt.notice')}</dt>
        <dd>
          <Link to={`/reports/${receipt.reportSlug}`} lang={lang}>
            {receipt.reportTitle}
          </Link>
        </dd>
        <dt>{t('receipt.target')}</dt>
        <dd>{target}</dd>
        <dt>{t('receipt.status')}</dt>
        <dd>{t(`status.${receipt.status}`)}</dd>
        <dt>{t('receipt.replyWanted')}</dt>
        <dd>{receipt.replyWanted ? t('receipt.yes') : t('receipt.no')}</dd>
        <dt>{t('receipt.publicOk')}</dt>
        <dd>{receipt.publicOk ? t('receipt.publicYes') : t('receipt.publicNo')}</dd>
      </dl>
      <h2>{t('receipt.bodyHeading')}</h2>
      <p className="user-text receipt-body">{receipt.body}</p>
      {receipt.attachments.length > 0 ? (
        <>
          <h2>{t('attachments:receipt.heading')}</h2>
          <ul className="receipt-attachments">
            {receipt.attachments.map((a, i) => (
              <li key={i}>{t('attachments:receipt.item', { name: a.name, size: formatFileSize(a.size, t) })}</li>
            ))}
          </ul>
          <p>{t('attachments:receipt.note')}</p>
        </>
      ) : null}

      <h2>{t('receipt.nextHeading')}</h2>
      <ol>
        <li>{t('receipt.next1')}</li>
        <li>
          {t('receipt.next2', { date: formatDate(receipt.dueAt, locale) })}
          {receipt.replyWanted ? t('receipt.next2Reply') : t('receipt.next2End')}
        </li>
        <li>
          <Trans t={t} i18nKey="receipt.next3" components={[<Link key="track" to={trackHref} />]} />
        </li>
      </ol>

      <section className="channels" aria-labelledby="receipt-channels">
        <h2 id="receipt-channels">{t('receipt.contactHeading')}</h2>
        <p>{t('receipt.contactHint')}</p>
        <dl>
          <dt>{t('channels.phone')}</dt>
          <dd>
            <a href={`tel:${receipt.phone.replace(/[^\d+]/g, '')}`}>{receipt.phone}</a>
          </dd>
          <dt>{t('channels.post')}</dt>
          <dd lang={lang}>{receipt.mailbox}</dd>
        </dl>
      </section>
    </article>
  );
}
