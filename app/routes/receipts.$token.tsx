// The citizen's receipt, behind an unguessable token: never indexed, never the
// name or contact (the model does not even read them).
import { data, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { getOpinionByReceiptToken } from '~/models/opinion-receipts.server';
import { getDb } from '~/server/db.server';
import { formatTarget } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { STATUS_LABELS } from '~/domain/labels';
import { formatFileSize } from '~/schemas/attachment-rules';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `受付番号 ${data.receipt.trackingNumber} の控え | 意見箱` : 'ページが見つかりません | 意見箱' },
  { name: 'robots', content: 'noindex, nofollow' },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const receipt = await getOpinionByReceiptToken(getDb(), params.token ?? '');
  if (!receipt) throw new Response('Not Found', { status: 404, headers: { 'X-Robots-Tag': 'noindex' } });
  return data(
    { receipt },
    // The token is the key to this page: keep it out of caches and Referer headers.
    { headers: { 'Cache-Control': 'private, no-store', 'Referrer-Policy': 'no-referrer', 'X-Robots-Tag': 'noindex' } },
  );
}

export function headers({ loaderHeaders }: { loaderHeaders: Headers }) {
  return loaderHeaders;
}

export default function ReceiptRoute() {
  const { receipt } = useLoaderData<typeof loader>();
  const target = `${formatTarget(receipt)}${receipt.sectionNumber !== 0 && receipt.itemNumber === null ? '(項目全体)' : ''}`;
  const trackHref = `/track?number=${encodeURIComponent(receipt.trackingNumber)}`;
  return (
    <article className="receipt" aria-labelledby="receipt-title">
      <h1 id="receipt-title">ご意見を受け付けました</h1>
      <div className="notice">
        <p>
          受付番号 <strong className="tracking-number">{receipt.trackingNumber}</strong>
        </p>
        <p>対応状況の確認やお問い合わせの際に必要です。このページを保存するか、受付番号を控えておいてください。</p>
      </div>
      <dl className="receipt-facts">
        <dt>受付日時</dt>
        <dd>
          <time dateTime={receipt.receivedAt}>{formatDateTime(receipt.receivedAt)}</time>
        </dd>
        <dt>対象の通報</dt>
        <dd>
          <Link to={`/reports/${receipt.reportSlug}`}>{receipt.reportTitle}</Link>
        </dd>
        <dt>対象の項目</dt>
        <dd>{target}</dd>
        <dt>現在の状況</dt>
        <dd>{STATUS_LABELS[receipt.status]}</dd>
        <dt>回答の希望</dt>
        <dd>{receipt.replyWanted ? 'あり' : 'なし'}</dd>
        <dt>意見の公開</dt>
        <dd>{receipt.publicOk ? '回答とあわせて公開してよい' : '公開しない'}</dd>
      </dl>
      <h2>お寄せいただいた意見</h2>
      <p className="user-text receipt-body">{receipt.body}</p>
      {receipt.attachments.length > 0 ? (
        <>
          <h2>添付ファイル</h2>
          <ul className="receipt-attachments">
            {receipt.attachments.map((a, i) => (
              <li key={i}>{`${a.name}(${formatFileSize(a.size)})`}</li>
            ))}
          </ul>
          <p>添付ファイルは職員だけが確認します。画像は位置情報などを取り除いて保存しています。</p>
        </>
      ) : null}

      <h2>このあとの流れ</h2>
      <ol>
        <li>区の担当部署がご意見を確認し、担当の部署へ回します。</li>
        <li>
          {formatDate(receipt.dueAt)}ごろまでを目安に対応します
          {receipt.replyWanted ? '。ご記入いただいた連絡先へ回答します。' : '。'}
        </li>
        <li>
          回答を公開した場合は、<Link to={trackHref}>受付番号での状況確認</Link>のページに掲載します。
        </li>
      </ol>

      <section className="channels" aria-labelledby="receipt-channels">
        <h2 id="receipt-channels">お問い合わせ</h2>
        <p>受付番号をお伝えください。</p>
        <dl>
          <dt>電話</dt>
          <dd>
            <a href={`tel:${receipt.phone.replace(/[^\d+]/g, '')}`}>{receipt.phone}</a>
          </dd>
          <dt>郵便</dt>
          <dd>{receipt.mailbox}</dd>
        </dl>
      </section>
    </article>
  );
}
