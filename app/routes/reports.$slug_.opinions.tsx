// POST /reports/:slug/opinions — every opinion form posts here. (The trailing
// underscore keeps this route out of the report page's layout: its 400 page
// stands on its own.) Abuse controls come first, then validation, then one
// transaction. With JavaScript (a fetcher, marked by _js=1) it answers data;
// without, a 303 to the receipt or a 400 page with the form and its errors.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { OpinionForm } from '~/components/opinion-form';
import { checkOpinionTarget, getReportOutline, type ReportOutline } from '~/models/opinion-targets.server';
import { submitOpinion, type CreatedOpinion } from '~/models/opinions.server';
import { getCommentWindow } from '~/models/reports.server';
import { localizeOutline } from '~/models/notice-translations.server';
import { closedMessage, isAcceptingOpinions } from '~/domain/comment-period';
import { INTL_LOCALES } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { opinionFormValues, parseOpinionForm, type OpinionActionData, type OpinionFormValues } from '~/schemas/opinion';
import { hashClient } from '~/server/client-hash.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { opinionsAbout } from '~/utils/format';
import type { AttachmentLimits } from '~/schemas/attachment-rules';
import { AttachmentRefused, checkAttachmentTypes, storeAttachments, type StoredAttachment } from '~/server/attachment-content.server';
import { attachmentLimits, discardReceivedFiles, readUploadForm, type UploadedForm } from '~/server/attachment-upload.server';
import { isHoneypotHit } from '~/server/honeypot.server';
import { peekRateLimit, RateLimitExceeded } from '~/utils/rate-limit.server';
import { createFormToken, generateTrackingNumber } from '~/domain/tracking-number.server';

// Retry-After (429) travels from the action to the document response.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const handle = { i18n: ['reports', 'attachments'] };

export const meta: MetaFunction = ({ matches }) => {
  const title = (matches.find((m) => m.id === 'root')?.data as { titles?: { submit?: string } } | undefined)?.titles?.submit;
  return [...(title ? [{ title }] : []), { name: 'robots', content: 'noindex' }];
};

type PageData =
  | (OpinionActionData & { page?: undefined })
  | {
      status: 'invalid' | 'error' | 'sent';
      page: {
        noticeLang: string;
        slug: string;
        reportTitle: string;
        phone: string;
        mailbox: string;
        section: { number: number; title: string; items: Array<{ number: number; heading: string }> } | null;
        values: OpinionFormValues | null;
        attachmentLimits: AttachmentLimits;
      };
      errors?: Record<string, string>;
      message?: string;
      trackingNumber?: string;
    };

// No loader on purpose: Remix runs loaders after a document POST too, so a
// redirecting loader would swallow the 400 page. A plain GET renders the
// component without action data: a pointer back to the report.

function sectionOf(outline: ReportOutline, n: number, whole: string) {
  if (n === 0) return { number: 0, title: whole, items: [] };
  const s = outline.sections.find((x) => x.number === n);
  return s ? { number: s.number, title: s.title, items: s.items.map((i) => ({ number: i.number, heading: i.heading })) } : null;
}

export async function action(args: ActionFunctionArgs) {
  // The form may carry files (multipart, streamed to temp files): whatever
  // happens next, the temp files go; stored copies are the opinion's.
  let upload: UploadedForm;
  try {
    upload = await readUploadForm(args.request);
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    return data<PageData>({ status: 'error', message: await error.text() }, { status: error.status, headers: error.status === 413 ? { Connection: 'close' } : undefined });
  }
  try {
    return await receiveOpinion(args, upload);
  } finally {
    discardReceivedFiles(upload.files);
  }
}

async function receiveOpinion({ request, params, context }: ActionFunctionArgs, upload: UploadedForm) {
  const db = getDb();
  const env = getEnv();
  const fromFetcher = (form: FormData | null) => form?.get('_js') === '1' || new URL(request.url).pathname.endsWith('.data');
  const form = upload.form;

  const { lng, t } = await getRequestT(request, ['reports', 'common', 'attachments']);
  const original = await getReportOutline(db, params.slug ?? '');
  if (!original) throw new Response('Not Found', { status: 404 });
  // Titles and headings as the report page showed them (its translation, if any); numbers are shared.
  const { outline, lang: noticeLang } = await localizeOutline(db, original, lng);
  const js = fromFetcher(form);
  const values = opinionFormValues(form);
  const sectionNumber = /^\d{1,3}$/.test(values.section) ? Number(values.section) : -1;
  const page = (section = sectionOf(outline, sectionNumber, t('common:target.whole'))) => ({
    noticeLang,
    slug: outline.slug,
    reportTitle: outline.title,
    phone: outline.phone,
    mailbox: outline.mailbox,
    section,
    // The page's form keeps the posted token (so a corrected resubmission of
    // the same render still dedupes); a post without one gets a fresh one.
    values: { ...values, formToken: /^[A-Za-z0-9_-]{8,80}$/.test(values.formToken) ? values.formToken : createFormToken() },
    attachmentLimits: attachmentLimits(),
  });

  // Outside the comment period the forms are gone from the page; a post made
  // anyway (an old tab, a script) is refused and stores nothing.
  const period = await getCommentWindow(db, outline.reportId);
  if (period && !isAcceptingOpinions(period)) {
    const message = `${closedMessage(period, new Date(), { t, locale: INTL_LOCALES[lng] })} ${t('common:period.offlineShort')}`;
    return data<PageData>(
      js ? { status: 'error', message, phone: outline.phone, mailbox: outline.mailbox } : { status: 'error', message, page: page(null) },
      { status: 403 },
    );
  }

  // A bot that filled the hidden field is told "thank you" and nothing is kept.
  if (isHoneypotHit(form)) {
    const trackingNumber = generateTrackingNumber();
    if (js) return data<PageData>({ status: 'sent', trackingNumber, receiptToken: null, duplicate: false });
    return data<PageData>({ status: 'sent', trackingNumber, page: page() });
  }

  const clientHash = hashClient(context.clientIp ?? 'unknown');
  const allowance = { bucket: 'opinions', key: clientHash, limit: env.RATE_LIMIT_OPINIONS, windowMs: env.RATE_LIMIT_WINDOW_MINUTES * 60_000 };
  const refuseRateLimited = (retryAfterSeconds: number) => {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    const message = t('submit.rateLimited', { minutes, phone: outline.phone });
    return data<PageData>(
      js ? { status: 'error', message, phone: outline.phone, mailbox: outline.mailbox } : { status: 'error', message, page: page() },
      { status: 429, headers: { 'Retry-After': String(retryAfterSeconds) } },
    );
  };
  // A client whose allowance is used up is refused before its files are read.
  // The hit itself is counted with the opinion, in its transaction
  // (insertOpinion): a post that stores nothing (a typo, a refused file) does
  // not use up the allowance.
  const limit = await peekRateLimit(db, allowance.bucket, allowance.key, allowance.limit);
  if (!limit.ok) return refuseRateLimited(limit.retryAfterSeconds);

  // A file refused (413 too large, 415 not a type we take) keeps the rest of
  // the form: the page shows it again with what was typed.
  const refuseFiles = (status: 413 | 415, message: string) => {
    const text = `${message}${t('attachments:errors.keptForm')}`;
    return data<PageData>(js ? { status: 'error', message: text } : { status: 'error', message: text, page: page() }, { status });
  };
  if (upload.refusal) return refuseFiles(upload.refusal.status === 415 ? 415 : 413, upload.refusal.message);
  try {
    await checkAttachmentTypes(upload.files);
  } catch (error) {
    if (error instanceof AttachmentRefused) return refuseFiles(415, error.describe(t));
    throw error;
  }

  const parsed = parseOpinionForm(form, t);
  if (!parsed.success) {
    if (parsed.errors.section || !page().section) {
      return data<PageData>({ status: 'error', message: t('submit.targetMissing') }, { status: 400 });
    }
    if (js) return data<PageData>({ status: 'invalid', errors: parsed.errors, values }, { status: 400 });
    return data<PageData>({ status: 'invalid', errors: parsed.errors, page: page() }, { status: 400 });
  }

  const input = parsed.data;
  const targetError = checkOpinionTarget(outline, input.section, input.item, t);
  if (targetError) {
    return data<PageData>({ status: 'error', message: targetError, ...(js ? {} : { page: page() }) }, { status: 400 });
  }

  let attachments: StoredAttachment[] = [];
  try {
    attachments = await storeAttachments(upload.files);
  } catch (error) {
    if (error instanceof AttachmentRefused) return refuseFiles(415, error.describe(t));
    throw error;
  }

  let created: CreatedOpinion;
  try {
    created = await submitOpinion(db, outline.reportId, { ...input, attachments }, {
      channel: 'web',
      receivedAt: new Date(),
      clientHash,
      userAgent: request.headers.get('user-agent')?.slice(0, 400) ?? null,
      language: lng,
      allowance,
    });
  } catch (error) {
    // Posts sent at once from one client used up the allowance meanwhile:
    // nothing of this one was written (its stored files are orphans the sweep removes).
    if (error instanceof RateLimitExceeded) return refuseRateLimited(error.retryAfterSeconds);
    throw error;
  }
  if (js) {
    return data<PageData>({
      status: 'sent',
      trackingNumber: created.trackingNumber,
      receiptToken: created.receiptToken,
      duplicate: created.duplicate,
    });
  }
  return redirect(`/receipts/${created.receiptToken}`, 303);
}

export default function OpinionSubmissionPage() {
  const result = useActionData<typeof action>() as PageData | undefined;
  const params = useParams();
  const { t } = useTranslation('reports');
  const page = result?.page;
  if (!result || !page) {
    return (
      <div className="error-page">
        <h1>{t('submit.title')}</h1>
        <div className="alert" role="alert">
          <p>{result && result.status === 'error' ? result.message : t('submit.useForm')}</p>
        </div>
        <p>
          <Link to={params.slug ? `/reports/${params.slug}` : '/'}>{t('submit.back')}</Link>
        </p>
      </div>
    );
  }
  const back = `/reports/${page.slug}${page.section ? `#section-${page.section.number}` : ''}`;
  return (
    <div className="opinion-page">
      <h1>{result.status === 'sent' ? t('submit.sentTitle') : t('submit.title')}</h1>
      <p>
        {t('submit.target')}
        <Link to={back} lang={page.noticeLang}>
          {page.reportTitle}
        </Link>
      </p>
      {result.status === 'sent' ? (
        <div className="notice" role="status">
          <p>
            {t('submit.number.before')}
            <strong className="tracking-number">{result.trackingNumber}</strong>
            {t('submit.number.after')}
          </p>
        </div>
      ) : result.status === 'error' && !page.section ? (
        <div className="alert" role="alert">
          <p>{result.message}</p>
        </div>
      ) : page.section ? (
        <>
          {result.status === 'invalid' ? <p>{t('submit.notSent')}</p> : null}
          <h2 lang={page.section.number === 0 ? undefined : page.noticeLang}>
            {opinionsAbout({ sectionNumber: page.section.number, sectionTitle: page.section.title }, 'long', t)}
          </h2>
          <OpinionForm
            slug={page.slug}
            section={page.section}
            formToken={page.values?.formToken ?? ''}
            initialValues={page.values ?? undefined}
            initialErrors={result.errors}
            initialMessage={result.status === 'error' ? result.message : undefined}
            attachmentLimits={page.attachmentLimits}
            noticeLang={page.noticeLang}
            open
          />
        </>
      ) : null}
      <section className="channels" aria-labelledby="opinion-page-channels">
        <h2 id="opinion-page-channels">{t('submit.channelsHeading')}</h2>
        <dl>
          <dt>{t('channels.phone')}</dt>
          <dd>
            <a href={`tel:${page.phone.replace(/[^\d+]/g, '')}`}>{page.phone}</a>
          </dd>
          <dt>{t('channels.post')}</dt>
          <dd lang={page.noticeLang}>{page.mailbox}</dd>
        </dl>
      </section>
      <p>
        <Link to={back}>{t('submit.back')}</Link>
      </p>
    </div>
  );
}
