// /staff/inbound — mail that came back to us and is for people to read: messages
// nobody could match (a citizen answering the acknowledgement, say) and
// auto-replies to our mail (docs/mail.md). Senders are shown: staff only.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { getRequestT } from '~/i18n/i18n.server';
import { FilterBar, FilterSelect } from '~/components/filter-bar';
import { PageSummary, Pager } from '~/components/pager';
import { listReceivedMail } from '~/models/inbound-messages.server';
import { INBOUND_KINDS, parseInboundFilters } from '~/schemas/inbound-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';
import { formatDateTime } from '~/utils/local-time';

export const handle = { i18n: ['admin'] };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }, { name: 'robots', content: 'noindex' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const filters = parseInboundFilters(new URL(request.url).searchParams);
  const { t } = await getRequestT(request, 'admin');
  return { title: t('inbound.meta'), filters, ...(await listReceivedMail(getDb(), filters)) };
}

export default function StaffInbound() {
  const { filters, rows, total, first, last, page, pageCount } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  return (
    <div>
      <h1>{t('inbound.heading')}</h1>
      <p>{t('inbound.intro')}</p>
      <FilterBar label={t('inbound.filters')} submitLabel={t('inbound.filter')} clearLabel={t('inbound.clear')} clearTo="/staff/inbound">
        <FilterSelect name="kind" label={t('inbound.columns.kind')} value={filters.kind} options={INBOUND_KINDS.map((k) => ({ value: k, label: t(`inbound.kind.${k}`) }))} />
      </FilterBar>

      <p role="status">
        <PageSummary total={total} first={first} last={last} page={page} pageCount={pageCount} />
      </p>
      {rows.length === 0 ? (
        <p>{t('inbound.empty')}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('inbound.list')} tabIndex={0}>
          <table className="inbound-table">
            <thead>
              <tr>
                <th scope="col">{t('inbound.columns.receivedAt')}</th>
                <th scope="col">{t('inbound.columns.kind')}</th>
                <th scope="col">{t('inbound.columns.sender')}</th>
                <th scope="col">{t('inbound.columns.subject')}</th>
                <th scope="col">{t('inbound.columns.opinion')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={`${m.kind}-${m.id}`}>
                  <td>
                    <time dateTime={m.receivedAt}>{formatDateTime(m.receivedAt, locale)}</time>
                  </td>
                  <td>{t(`inbound.kind.${m.kind}`)}</td>
                  <td className="user-text">{m.sender ?? <span className="muted">{t('inbound.unknownSender')}</span>}</td>
                  <td>
                    <span className="user-text">{m.subject || <span className="muted">{t('inbound.noSubject')}</span>}</span>
                    {m.text ? (
                      <details>
                        <summary>{t('inbound.body')}</summary>
                        <div className="user-text inbound-text">
                          {m.text}
                          {m.textCut ? t('inbound.cut') : ''}
                        </div>
                      </details>
                    ) : null}
                  </td>
                  <td>
                    {m.opinion ? (
                      <Link to={`/staff/opinions/${m.opinion.id}`} className="tracking-number">
                        {m.opinion.trackingNumber}
                      </Link>
                    ) : (
                      <span className="muted">{t('inbound.noOpinion')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager page={page} pageCount={pageCount} filters={filters} />
    </div>
  );
}
