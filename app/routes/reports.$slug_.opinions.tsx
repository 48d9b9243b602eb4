// POST /reports/:slug/opinions — every opinion form posts here. (The trailing
// underscore keeps this route out of the report page's layout: its 400 page
// stands on its own.) Abuse controls come first, then validation, then one
// transaction. With JavaScript (a fetcher, marked by _js=1) it answers data;
// without, a 303 to the receipt or a 400 page with the form and its errors.
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useParams } from '@remix-run/react';
import { OpinionForm } from '~/components/opinion-form';
import { checkOpinionTarget, getReportOutline, type ReportOutline } from '~/models/opinion-targets.server';
import { submitOpinion } from '~/models/opinions.server';
import { getCommentPeriod } from '~/models/reports.server';
import { closedMessage, isAcceptingOpinions, offlineChannelsLine } from '~/domain/comment-period';
import { opinionFormValues, parseOpinionForm, type OpinionActionData, type OpinionFormValues } from '~/schemas/opinion';
import { hashClient } from '~/server/client-hash.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { opinionsAbout } from '~/utils/format';
import { ATTACHMENT_MESSAGES, type AttachmentLimits } from '~/schemas/attachment-rules';
import { AttachmentRefused, checkAttachmentTypes, storeAttachments, type StoredAttachment } from '~/server/attachment-content.server';
import { attachmentLimits, discardReceivedFiles, readUploadForm, type UploadedForm } from '~/server/attachment-upload.server';
import { isHoneypotHit } from '~/server/honeypot.server';
import { checkRateLimit, refundRateLimit } from '~/utils/rate-limit.server';
import { createFormToken, generateTrackingNumber } from '~/domain/tracking-number.server';

// Retry-After (429) travels from the action to the document response.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

export const meta: MetaFunction = () => [{ title: '意見の送信 | 意見箱' }, { name: 'robots', content: 'noindex' }];

type PageData =
  | (OpinionActionData & { page?: undefined })
  | {
      status: 'invalid' | 'error' | 'sent';
      page: {
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

function sectionOf(outline: ReportOutline, n: number) {
  if (n === 0) return { number: 0, title: '通報全体', items: [] };
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

  const outline = await getReportOutline(db, params.slug ?? '');
  if (!outline) throw new Response('Not Found', { status: 404 });
  const js = fromFetcher(form);
  const values = opinionFormValues(form);
  const sectionNumber = /^\d{1,3}$/.test(values.section) ? Number(values.section) : -1;
  const page = (section = sectionOf(outline, sectionNumber)) => ({
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
  const period = await getCommentPeriod(db, outline.reportId);
  if (period && !isAcceptingOpinions(period)) {
    const message = `${closedMessage(period)} ${offlineChannelsLine(outline.phone, outline.mailbox, period.officeHours)}`;
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
  const windowMs = env.RATE_LIMIT_WINDOW_MINUTES * 60_000;
  const limit = checkRateLimit('opinions', clientHash, env.RATE_LIMIT_OPINIONS, windowMs);
  if (!limit.ok) {
    const minutes = Math.ceil(limit.retryAfterSeconds / 60);
    const message = `短時間に多くの意見が送信されたため、受付を一時的に停止しています。約${minutes}分後にもう一度お試しください。お急ぎの場合は、電話(${outline.phone})または郵便(${outline.mailbox})でもお寄せいただけます。`;
    return data<PageData>(
      js ? { status: 'error', message, phone: outline.phone, mailbox: outline.mailbox } : { status: 'error', message, page: page() },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
    );
  }

  // A file refused (413 too large, 415 not a type we take) keeps the rest of
  // the form: the page shows it again with what was typed.
  const refuseFiles = (status: 413 | 415, message: string) => {
    refundRateLimit('opinions', clientHash);
    const text = `${message}${ATTACHMENT_MESSAGES.keptForm}`;
    return data<PageData>(js ? { status: 'error', message: text } : { status: 'error', message: text, page: page() }, { status });
  };
  if (upload.refusal) return refuseFiles(upload.refusal.status === 415 ? 415 : 413, upload.refusal.message);
  try {
    await checkAttachmentTypes(upload.files);
  } catch (error) {
    if (error instanceof AttachmentRefused) return refuseFiles(415, error.message);
    throw error;
  }

  const parsed = parseOpinionForm(form);
  if (!parsed.success) {
    // A typo is not abuse: it does not use up the person's allowance.
    refundRateLimit('opinions', clientHash);
    if (parsed.errors.section || !page().section) {
      return data<PageData>({ status: 'error', message: 'ご意見の対象となる項目が見つかりません。通報のページを読み込み直してから送信してください。' }, { status: 400 });
    }
    if (js) return data<PageData>({ status: 'invalid', errors: parsed.errors, values }, { status: 400 });
    return data<PageData>({ status: 'invalid', errors: parsed.errors, page: page() }, { status: 400 });
  }

  const input = parsed.data;
  const targetError = checkOpinionTarget(outline, input.section, input.item);
  if (targetError) {
    refundRateLimit('opinions', clientHash);
    return data<PageData>({ status: 'error', message: targetError, ...(js ? {} : { page: page() }) }, { status: 400 });
  }

  let attachments: StoredAttachment[] = [];
  try {
    attachments = await storeAttachments(upload.files);
  } catch (error) {
    if (error instanceof AttachmentRefused) return refuseFiles(415, error.message);
    throw error;
  }

  const created = await submitOpinion(db, outline.reportId, { ...input, attachments }, {
    channel: 'web',
    receivedAt: new Date(),
    clientHash,
    userAgent: request.headers.get('user-agent')?.slice(0, 400) ?? null,
  });
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
  const page = result?.page;
  if (!result || !page) {
    return (
      <div className="error-page">
        <h1>意見の送信</h1>
        <div className="alert" role="alert">
          <p>{result && result.status === 'error' ? result.message : '意見は通報のページにあるフォームから送信してください。'}</p>
        </div>
        <p>
          <Link to={params.slug ? `/reports/${params.slug}` : '/'}>通報のページへ戻る</Link>
        </p>
      </div>
    );
  }
  const back = `/reports/${page.slug}${page.section ? `#section-${page.section.number}` : ''}`;
  return (
    <div className="opinion-page">
      <h1>{result.status === 'sent' ? 'ご意見を受け付けました' : '意見の送信'}</h1>
      <p>
        対象の通報:<Link to={back}>{page.reportTitle}</Link>
      </p>
      {result.status === 'sent' ? (
        <div className="notice" role="status">
          <p>
            受付番号は <strong className="tracking-number">{result.trackingNumber}</strong> です。
          </p>
        </div>
      ) : result.status === 'error' && !page.section ? (
        <div className="alert" role="alert">
          <p>{result.message}</p>
        </div>
      ) : page.section ? (
        <>
          {result.status === 'invalid' ? <p>入力内容に問題があったため、まだ送信されていません。下のメッセージに従って修正し、もう一度送信してください。</p> : null}
          <h2>{opinionsAbout({ sectionNumber: page.section.number, sectionTitle: page.section.title })}</h2>
          <OpinionForm
            slug={page.slug}
            section={page.section}
            formToken={page.values?.formToken ?? ''}
            initialValues={page.values ?? undefined}
            initialErrors={result.errors}
            initialMessage={result.status === 'error' ? result.message : undefined}
            attachmentLimits={page.attachmentLimits}
            open
          />
        </>
      ) : null}
      <section className="channels" aria-labelledby="opinion-page-channels">
        <h2 id="opinion-page-channels">電話・郵便でも受け付けています</h2>
        <dl>
          <dt>電話</dt>
          <dd>
            <a href={`tel:${page.phone.replace(/[^\d+]/g, '')}`}>{page.phone}</a>
          </dd>
          <dt>郵便</dt>
          <dd>{page.mailbox}</dd>
        </dl>
      </section>
      <p>
        <Link to={back}>通報のページへ戻る</Link>
      </p>
    </div>
  );
}

