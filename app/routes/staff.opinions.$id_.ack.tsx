// The acknowledgement (受付票) of an opinion, as a letter to send back by post:
// the date, the person's postal address and name, the notice's issuer as the
// sender, then the tracking number, what the opinion is about and how to ask
// after it. Prints on one A4 sheet without JavaScript (the browser's own print
// menu). (`$id_` keeps this page out of the opinion page's layout.)
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { PrintButton } from '~/components/print-button';
import { getRequestT } from '~/i18n/i18n.server';
import { staffMeta, useStaffFormat } from '~/i18n/staff-format';
import { getOpinionAcknowledgement } from '~/models/opinion-records.server';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import ackStyles from '~/styles/ack.css';
import { getEnv } from '~/utils/env.server';
import { requireId } from '~/utils/form.server';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: ackStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => staffMeta(data?.title, matches);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await getRequestT(request, 'staff');
  const notFound = t('errors.opinionNotFound');
  const ack = await getOpinionAcknowledgement(getDb(), requireId(params, 'id', notFound));
  if (!ack) throw new Response(notFound, { status: 404 });
  return {
    title: `${t('ack.title', { number: ack.trackingNumber })} | ${t('meta.suffix')}`,
    ack: { ...ack, trackUrl: `${getEnv().PUBLIC_URL}/track`, writtenOn: new Date().toISOString() },
  };
}

export default function AcknowledgementRoute() {
  const { ack } = useLoaderData<typeof loader>();
  const { recipient, sender } = ack;
  const f = useStaffFormat();
  const { t } = f;
  return (
    <article className="ack" aria-labelledby="ack-title">
      <div className="toolbar ack__toolbar">
        <PrintButton />
        <Link to={`/staff/opinions/${ack.id}`} className="button button--secondary">
          {t('ack.back')}
        </Link>
      </div>
      <div className="ack__head">
        <p className="ack__date">
          <time dateTime={ack.writtenOn}>{f.date(ack.writtenOn)}</time>
        </p>
        {recipient.address || recipient.name ? (
          <section className="ack__to" aria-label={t('ack.to')}>
            {recipient.address ? <p className="ack__address">{recipient.address}</p> : null}
            <p className="ack__name">{recipient.name ? t('ack.honorific', { name: recipient.name }) : t('ack.anonymous')}</p>
          </section>
        ) : null}
        <section className="ack__from" aria-label={t('ack.from')}>
          <address>
            <p className="ack__issuer">{sender.issuer}</p>
            <p>{sender.mailbox}</p>
            <p>{t('ack.phoneLine', { phone: sender.phone })}</p>
          </address>
        </section>
      </div>
      <h1 id="ack-title">{t('ack.heading')}</h1>
      <p>
        {t('ack.thanks', { report: ack.reportTitle })}
        {t('ack.received', { channel: f.channel(ack.channel) })}
      </p>
      <dl className="ack__facts">
        <div>
          <dt>{t('ack.trackingNumber')}</dt>
          <dd>
            <strong className="tracking-number">{ack.trackingNumber}</strong>
          </dd>
        </div>
        <div>
          <dt>{t('ack.receivedAt')}</dt>
          <dd>{f.dateTime(ack.receivedAt)}</dd>
        </div>
        <div>
          <dt>{t('ack.target')}</dt>
          <dd>{f.target(ack.target)}</dd>
        </div>
        {ack.replyWanted ? (
          <div>
            <dt>{t('ack.due')}</dt>
            <dd>{t('ack.dueBy', { date: f.date(ack.dueAt) })}</dd>
          </div>
        ) : null}
      </dl>
      <p>{t('ack.quote')}</p>
      <section className="ack__channels" aria-labelledby="ack-channels-title">
        <h2 id="ack-channels-title">{t('ack.channelsTitle')}</h2>
        <dl>
          <dt>{t('ack.web')}</dt>
          <dd>
            {ack.trackUrl}
            <br />
            {t('ack.webHint')}
          </dd>
          <dt>{t('ack.phone')}</dt>
          <dd>{sender.phone}</dd>
          <dt>{t('ack.post')}</dt>
          <dd>{sender.mailbox}</dd>
        </dl>
      </section>
    </article>
  );
}
