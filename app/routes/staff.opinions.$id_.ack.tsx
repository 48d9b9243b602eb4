// The acknowledgement (受付票) of an opinion, as a letter to send back by post:
// the date, the person's postal address and name, the notice's issuer as the
// sender, then the tracking number, what the opinion is about and how to ask
// after it. Prints on one A4 sheet without JavaScript (the browser's own print
// menu). (`$id_` keeps this page out of the opinion page's layout.)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { PrintButton } from '~/components/print-button';
import { getOpinionAcknowledgement } from '~/models/opinion-records.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import ackStyles from '~/styles/ack.css';
import { getEnv } from '~/utils/env.server';
import { requireId } from '~/utils/form.server';
import { formatTarget } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { CHANNEL_LABELS } from '~/domain/labels';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: ackStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `受付票 ${data.ack.trackingNumber} | 職員画面 | 意見箱` : 'ページが見つかりません | 意見箱' },
  { name: 'robots', content: 'noindex' },
];

const NOT_FOUND = 'この意見は見つかりません。受付一覧から選び直してください。';

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const ack = await getOpinionAcknowledgement(getDb(), requireId(params, 'id', NOT_FOUND));
  if (!ack) throw new Response(NOT_FOUND, { status: 404 });
  return { ack: { ...ack, trackUrl: `${getEnv().PUBLIC_URL}/track`, writtenOn: new Date().toISOString() } };
}

export default function AcknowledgementRoute() {
  const { ack } = useLoaderData<typeof loader>();
  const { recipient, sender } = ack;
  return (
    <article className="ack" aria-labelledby="ack-title">
      <div className="toolbar ack__toolbar">
        <PrintButton />
        <Link to={`/staff/opinions/${ack.id}`} className="button button--secondary">
          意見の詳細へ戻る
        </Link>
      </div>
      <div className="ack__head">
        <p className="ack__date">
          <time dateTime={ack.writtenOn}>{formatDate(ack.writtenOn)}</time>
        </p>
        {recipient.address || recipient.name ? (
          <section className="ack__to" aria-label="宛先">
            {recipient.address ? <p className="ack__address">{recipient.address}</p> : null}
            <p className="ack__name">{recipient.name ? `${recipient.name} 様` : 'ご意見をお寄せいただいた方'}</p>
          </section>
        ) : null}
        <section className="ack__from" aria-label="差出人">
          <address>
            <p className="ack__issuer">{sender.issuer}</p>
            <p>{sender.mailbox}</p>
            <p>{`電話 ${sender.phone}`}</p>
          </address>
        </section>
      </div>
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
          <dd>{formatTarget(ack.target)}</dd>
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
          <dd>{sender.phone}</dd>
          <dt>郵便</dt>
          <dd>{sender.mailbox}</dd>
        </dl>
      </section>
    </article>
  );
}
