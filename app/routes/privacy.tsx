import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getPublishedContacts } from '~/models/opinion-receipts.server';
import { getDb } from '~/server/db.server';
import { getEnv } from '~/utils/env.server';
import { getRequestT } from '~/i18n/i18n.server';

export const handle = { i18n: ['privacy'] };

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: data.meta.title }, { name: 'description', content: data.meta.description }] : [];

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await getRequestT(request, ['privacy', 'common']);
  return {
    contacts: await getPublishedContacts(getDb()),
    retentionMonths: getEnv().RETENTION_MONTHS,
    meta: { title: t('site.pageTitle', { title: t('title') }), description: t('description') },
  };
}

export default function PrivacyRoute() {
  const { contacts, retentionMonths } = useLoaderData<typeof loader>();
  const { t } = useTranslation('privacy');
  return (
    <article className="privacy" aria-labelledby="privacy-title">
      <h1 id="privacy-title">{t('title')}</h1>
      <p>{t('intro')}</p>
      <h2>{t('kept.heading')}</h2>
      <ul>
        <li>{t('kept.1')}</li>
        <li>{t('kept.2')}</li>
        <li>{t('kept.3')}</li>
        <li>{t('kept.4')}</li>
      </ul>
      <h2>{t('purpose.heading')}</h2>
      <ul>
        <li>{t('purpose.1')}</li>
        <li>{t('purpose.2')}</li>
        <li>{t('purpose.3')}</li>
      </ul>
      <h2>{t('who.heading')}</h2>
      <p>{t('who.body')}</p>
      <h2>{t('publication.heading')}</h2>
      <p>{t('publication.body')}</p>
      <h2>{t('retention.heading')}</h2>
      <p>{t('retention.body', { months: retentionMonths })}</p>
      <h2>{t('receipt.heading')}</h2>
      <p>{t('receipt.body')}</p>
      <h2>{t('contact.heading')}</h2>
      <p>{t('contact.body')}</p>
      {contacts ? (
        <dl className="receipt-facts">
          <dt>{t('channels.phone')}</dt>
          <dd>
            <a href={`tel:${contacts.phone.replace(/[^\d+]/g, '')}`}>{contacts.phone}</a>
          </dd>
          <dt>{t('channels.post')}</dt>
          {/* The office's address as the notice publishes it. */}
          <dd lang="ja">{contacts.mailbox}</dd>
        </dl>
      ) : null}
      <p>
        <Link to="/">{t('back')}</Link>
      </p>
    </article>
  );
}
