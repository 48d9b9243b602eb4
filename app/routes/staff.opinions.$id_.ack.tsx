// A printable acknowledgement for an opinion, to send back by post: the
// tracking number, when it was received, what it is about, and how to ask
// after it. (`$id_` keeps this page out of the opinion page's layout.)
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { PrintButton } from '~/components/print-button';
import { getOpinionForStaff } from '~/models/opinion-detail.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS } from '~/domain/labels';
import { requireUser } from '~/server/session.server';

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `受付票 ${data.ack.trackingNumber} | 職員画面 | 意見箱` : 'ページが見つかりません | 意見箱' },
  { name: 'robots', content: 'noindex' },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const raw = params.id ?? '';
  const opinion = /^\d{1,9}$/.test(raw) ? await getOpinionForStaff(getDb(), Number(raw)) : null;
  if (!opinion) throw new Response('この意見は見つかりません。受付一覧から選び直してください。', { status: 404 });
  const publicUrl = getEnv().PUBLIC_URL;
  return {
    ack: {
      id: opinion.id,
      trackingNumber: opinion.trackingNumber,
      name: opinion.name,
      channel: opinion.channel,
      receivedAt: opinion.receivedAt,
      dueAt: opinion.dueAt,
      replyWanted: opinion.replyWanted,
      reportTitle: opinion.report.title,
      target:
        opinion.sectionNumber === 0
          ? '通報全体'
          : `${sectionLabel(opinion.sectionNumber)} ${opinion.sectionTitle ?? ''}${
              opinion.itemNumber !== null ? ` ${itemLabel(opinion.itemNumber)}${opinion.itemHeading ?? ''}` : ''
            }`,
      phone: opinion.report.phone,
      mailbox: opinion.report.mailbox,
      trackUrl: `${publicUrl}/track`,
      issuedOn: new Date().toISOString(),
    },
  };
}

export default function AcknowledgementRoute() {
  const { ack } = useLoaderData<typeof loader>();
  return (
    <article className="ack" aria-labelledby="ack-title">
      <div className="toolbar ack__toolbar">
        <PrintButton />
        <Link to={`/staff/opinions/${ack.id}`} className="button button--secondary">
          意見の詳細へ戻る
        </Link>
      </div>
      <p className="ack__date">{formatDate(ack.issuedOn)}</p>
      {ack.name ? <p className="ack__to">{`${ack.name} 様`}</p> : null}
      <h1 id="ack-title">ご意見の受付について</h1>
      <p>
        このたびは、「{ack.reportTitle}」についてご意見をお寄せいただき、ありがとうございました。
        {CHANNEL_LABELS[ack.channel]}でいただいたご意見を、次のとおり受け付けました。
      </p>
      <dl className="ack__facts">
        <div>
          <dt>受付番号</dt>
          <dd>
            <strong className="tracking-number">{ack.trackingNumber}</strong>
          </dd>
        </div>
        <div>
          <dt>受付日時</dt>
          <dd>{formatDateTime(ack.receivedAt)}</dd>
        </div>
        <div>
          <dt>対象</dt>
          <dd>{ack.target}</dd>
        </div>
        {ack.replyWanted ? (
          <div>
            <dt>回答の目安</dt>
            <dd>{formatDate(ack.dueAt)}ごろまで</dd>
          </div>
        ) : null}
      </dl>
      <p>お問い合わせの際は、受付番号をお知らせください。</p>
      <section className="ack__channels" aria-labelledby="ack-channels-title">
        <h2 id="ack-channels-title">状況の確認・お問い合わせ</h2>
        <dl>
          <dt>ウェブサイト</dt>
          <dd>
            {ack.trackUrl}
            <br />
            (受付番号を入力すると、対応の状況と公開された回答を確認できます)
          </dd>
          <dt>電話</dt>
          <dd>{ack.phone}</dd>
          <dt>郵便</dt>
          <dd>{ack.mailbox}</dd>
        </dl>
      </section>
    </article>
  );
}
