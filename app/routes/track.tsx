// GET /track?number=XZ-…: the status of an opinion and its published reply.
// Public, so it shows neither the opinion's author nor their contact, and it
// is rate-limited per client against guessing numbers.
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { getOpinionStatusByTrackingNumber, getPublishedContacts } from '~/models/opinion-receipts.server';
import { hashClient } from '~/server/client-hash.server';
import { getDb } from '~/server/db.server';
import { formatTarget } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';
import { STATUS_LABELS } from '~/domain/labels';
import { checkRateLimit } from '~/utils/rate-limit.server';
import { normalizeTrackingNumber } from '~/domain/tracking-number.server';

const TRACK_LIMIT = { perWindow: 30, windowMs: 60_000 };

export const meta: MetaFunction = () => [
  { title: '受付番号で確認 | 意見箱' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const typed = (new URL(request.url).searchParams.get('number') ?? '').slice(0, 64);
  const noStore = { 'Cache-Control': 'no-store' };
  if (!typed.trim()) return data({ state: 'form' as const, typed, result: null, message: null, contacts: null }, { headers: noStore });

  const limit = checkRateLimit('track', hashClient(context.clientIp ?? 'unknown'), TRACK_LIMIT.perWindow, TRACK_LIMIT.windowMs);
  const db = getDb();
  if (!limit.ok) {
    return data(
      {
        state: 'limited' as const,
        typed,
        result: null,
        message: `短時間に多くの確認が行われたため、一時的に受け付けを停止しています。${limit.retryAfterSeconds}秒ほど待ってから、もう一度お試しください。`,
        contacts: await getPublishedContacts(db),
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
        message: number
          ? `受付番号「${number}」の意見は見つかりませんでした。番号をご確認ください。`
          : '受付番号の形式が正しくありません。「XZ-2023-7K3F-9QW2」のように入力してください。',
        contacts: await getPublishedContacts(db),
      },
      { status: number ? 404 : 400, headers: noStore },
    );
  }
  return data({ state: 'found' as const, typed, result, message: null, contacts: null }, { headers: noStore });
}

export function headers({ loaderHeaders }: { loaderHeaders: Headers }) {
  return loaderHeaders;
}

export default function TrackRoute() {
  const { state, typed, result, message, contacts } = useLoaderData<typeof loader>();
  return (
    <div className="track">
      <h1>受付番号で確認</h1>
      <p>意見を送信したときに表示された受付番号(例:XZ-2023-7K3F-9QW2)を入力すると、対応状況と公開された回答を確認できます。</p>
      <Form method="get" className="track-form">
        <div className="field">
          <label htmlFor="track-number">受付番号</label>
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
        <button type="submit">確認する</button>
      </Form>

      {message ? (
        <div className="alert" role="alert" id="track-message">
          <p>{message}</p>
          {contacts ? (
            <p>
              お問い合わせ:電話 {contacts.phone} ／ 郵便 {contacts.mailbox}
            </p>
          ) : null}
        </div>
      ) : null}

      {result ? (
        <section className="track-result" aria-labelledby="track-result-title">
          <h2 id="track-result-title">受付番号 {result.trackingNumber}</h2>
          <dl className="receipt-facts">
            <dt>現在の状況</dt>
            <dd>
              <strong className="status-label">{STATUS_LABELS[result.status]}</strong>
            </dd>
            <dt>受付日時</dt>
            <dd>
              <time dateTime={result.receivedAt}>{formatDateTime(result.receivedAt)}</time>
            </dd>
            <dt>対象</dt>
            <dd>
              <Link to={`/reports/${result.reportSlug}${result.sectionNumber ? `#section-${result.sectionNumber}` : '#section-0'}`}>
                {result.reportTitle}
              </Link>
              {` ／ ${formatTarget(result)}`}
            </dd>
          </dl>
          {result.reply ? (
            <section className="official-reply" aria-labelledby="track-reply-title">
              <h3 id="track-reply-title">区からの回答</h3>
              {result.reply.showOpinion && result.reply.redactedOpinion ? (
                <>
                  <h4>寄せられた意見(要旨)</h4>
                  <p className="user-text">{result.reply.redactedOpinion}</p>
                </>
              ) : null}
              <p className="user-text">{result.reply.body}</p>
              <p className="hint">
                {result.reply.publishedAt ? (
                  <>
                    公開日時:<time dateTime={result.reply.publishedAt}>{formatDateTime(result.reply.publishedAt)}</time>
                  </>
                ) : null}
                {result.reply.publishedAt && result.reply.updatedAt && result.reply.updatedAt !== result.reply.publishedAt ? (
                  <>
                    {' '}
                    ／ 更新日時:<time dateTime={result.reply.updatedAt}>{formatDateTime(result.reply.updatedAt)}</time>
                  </>
                ) : null}
              </p>
            </section>
          ) : (
            <p>回答はまだ公開されていません。</p>
          )}
        </section>
      ) : null}
    </div>
  );
}
