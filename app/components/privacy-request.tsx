// The steps of /staff/privacy: the search form, what was found, the erasure
// confirmation and its outcome. Presentational; the route owns the data.
import { Form, Link } from '@remix-run/react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ErasureResult, PersonalDataFound } from '~/models/privacy-requests.server';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { PRIVACY_QUERY_MAX } from '~/schemas/privacy';
import { formatTarget } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';
import { useIsPending } from '~/utils/use-is-pending';

export type PrivacyQueryKind = 'email' | 'phone';

/** The words of these steps and the page's Intl locale. */
function usePrivacyWords() {
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  return { t, locale, kind: (k: PrivacyQueryKind) => t(`privacy.kind.${k}`) };
}

export function SearchForm({ query, error }: { query: string; error?: string }) {
  const pending = useIsPending({ intent: 'search' });
  const { t } = usePrivacyWords();
  return (
    <>
      <h2 id="privacy-search-title">{t('privacy.search.heading')}</h2>
      <Form method="post" noValidate aria-labelledby="privacy-search-title" className="filter-form">
        <input type="hidden" name="intent" value="search" />
        <div className="field">
          <label htmlFor="privacy-query">{t('privacy.search.label')}</label>
          <input
            id="privacy-query"
            name="query"
            type="text"
            inputMode="email"
            autoComplete="off"
            required
            maxLength={PRIVACY_QUERY_MAX}
            defaultValue={query}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'privacy-query-error privacy-query-hint' : 'privacy-query-hint'}
          />
          <p className="hint" id="privacy-query-hint">
            {t('privacy.search.hint')}
          </p>
          {error ? (
            <p className="field-error" id="privacy-query-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" disabled={pending}>
          {pending ? t('privacy.search.searching') : t('privacy.search.submit')}
        </button>
      </Form>
    </>
  );
}

function HiddenQuery({ query }: { query: string }) {
  return <input type="hidden" name="query" value={query} />;
}

export function Found({ query, kind, found }: { query: string; kind: PrivacyQueryKind; found: PersonalDataFound }) {
  const reviewPending = useIsPending({ intent: 'review-erase' });
  const { t, locale, kind: kindLabel } = usePrivacyWords();
  const n = found.opinions.length;
  return (
    <section aria-labelledby="privacy-results-title">
      <h2 id="privacy-results-title" tabIndex={-1}>
        {t('privacy.found.heading', { kind: kindLabel(kind), query, count: n })}
      </h2>
      {found.erasures.length > 0 ? (
        <p>
          {t('privacy.found.erasedBefore', {
            kind: kindLabel(kind),
            list: found.erasures.map((e) => t('privacy.found.erasure', { at: formatDate(e.at, locale), count: e.opinions })).join(t('privacy.separator')),
          })}
        </p>
      ) : null}
      {n === 0 ? (
        <p>{t('privacy.found.none', { kind: kindLabel(kind) })}</p>
      ) : (
        <div className="table-scroll" role="region" aria-label={t('privacy.found.list')} tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('privacy.columns.trackingNumber')}</th>
                <th scope="col">{t('privacy.columns.receivedAt')}</th>
                <th scope="col">{t('privacy.columns.target')}</th>
                <th scope="col">{t('privacy.columns.status')}</th>
                <th scope="col">{t('privacy.columns.name')}</th>
                <th scope="col">{t('privacy.columns.email')}</th>
                <th scope="col">{t('privacy.columns.phone')}</th>
                <th scope="col">{t('privacy.columns.address')}</th>
                <th scope="col">{t('privacy.columns.body')}</th>
                <th scope="col">{t('privacy.columns.mail')}</th>
              </tr>
            </thead>
            <tbody>
              {found.opinions.map((o) => (
                <tr key={o.id}>
                  <td>
                    <Link to={`/staff/opinions/${o.id}`}>{o.trackingNumber}</Link>
                  </td>
                  <td>
                    <time dateTime={o.receivedAt}>{formatDateTime(o.receivedAt, locale)}</time>
                    <br />
                    {t(`privacy.channel.${o.channel}`)}
                  </td>
                  <td>{formatTarget(o.target, 'short')}</td>
                  <td>
                    {t(`privacy.status.${o.status}`)}
                    {o.replyPublished ? t('privacy.found.replyPublished') : ''}
                  </td>
                  <td>{o.name ?? t('privacy.found.empty')}</td>
                  <td>{o.email ?? t('privacy.found.empty')}</td>
                  <td>{o.phone ?? t('privacy.found.empty')}</td>
                  <td>{o.address ?? t('privacy.found.empty')}</td>
                  <td>{Array.from(o.body).length > 80 ? `${Array.from(o.body).slice(0, 80).join('')}…` : o.body}</td>
                  <td>{t('privacy.found.messages', { count: o.messageCount })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div>
        {/* A download: the browser posts this form itself (no client-side navigation). */}
        <form method="post" action="/staff/privacy/export.json" className="inline-form">
          <HiddenQuery query={query} />
          <button type="submit" className="button--secondary">
            {t('privacy.found.export')}
          </button>
        </form>
        {n > 0 ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="review-erase" />
            <HiddenQuery query={query} />
            <button type="submit" disabled={reviewPending}>
              {t('privacy.found.erase')}
            </button>
          </Form>
        ) : null}
      </div>
      <p className="hint">
        {t('privacy.found.audited')}
      </p>
    </section>
  );
}

export function Confirm({ query, kind, found }: { query: string; kind: PrivacyQueryKind; found: PersonalDataFound }) {
  const pending = useIsPending({ intent: 'erase' });
  const { t, locale, kind: kindLabel } = usePrivacyWords();
  const n = found.opinions.length;
  if (n === 0) {
    return (
      <section aria-labelledby="privacy-results-title">
        <h2 id="privacy-results-title" tabIndex={-1}>
          {t('privacy.confirm.nothing')}
        </h2>
        <p>{t('privacy.found.none', { kind: kindLabel(kind) })}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="privacy-results-title" className="alert">
      <h2 id="privacy-results-title" tabIndex={-1}>
        {t('privacy.confirm.heading', { kind: kindLabel(kind), query, count: n })}
      </h2>
      <p>{t('privacy.confirm.what')}</p>
      <ul>
        {found.opinions.map((o) => (
          <li key={o.id}>
            {t('privacy.confirm.item', {
              number: o.trackingNumber,
              at: formatDate(o.receivedAt, locale),
              target: formatTarget(o.target, 'short'),
              status: t(`privacy.status.${o.status}`),
            })}
          </li>
        ))}
      </ul>
      <p>
        {t('privacy.confirm.kept')}
        <strong>{t('privacy.confirm.irreversible')}</strong>
        {t('privacy.confirm.replyFirst')}
      </p>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="erase" />
        <HiddenQuery query={query} />
        <input type="hidden" name="opinionIds" value={found.opinions.map((o) => o.id).join(',')} />
        <button type="submit" disabled={pending}>
          {pending ? t('privacy.confirm.erasing') : t('privacy.confirm.submit', { count: n })}
        </button>
      </Form>
      <Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="search" />
        <HiddenQuery query={query} />
        <button type="submit" className="button--secondary">
          {t('privacy.confirm.back')}
        </button>
      </Form>
    </section>
  );
}

function erasedSummary(t: TFunction, r: ErasureResult): string {
  const opinions = t('privacy.erased.opinions', { count: r.opinions, numbers: r.trackingNumbers.join(t('privacy.separator')) });
  const mail =
    r.withdrawnMessages > 0
      ? t('privacy.erased.mailWithdrawn', { count: r.messages, withdrawn: r.withdrawnMessages })
      : t('privacy.erased.mail', { count: r.messages });
  const notes = r.notes > 0 ? t('privacy.erased.notes', { count: r.notes }) : '';
  return t('privacy.erased.summary', { opinions, mail, notes });
}

export function Erased({ result }: { result: ErasureResult }) {
  const { t } = usePrivacyWords();
  return (
    <div className="notice" role="status">
      <h2 id="privacy-results-title" tabIndex={-1}>
        {t('privacy.erased.heading')}
      </h2>
      {result.opinions === 0 ? (
        <p>{t('privacy.erased.none')}</p>
      ) : (
        <p>{erasedSummary(t, result)}</p>
      )}
    </div>
  );
}
