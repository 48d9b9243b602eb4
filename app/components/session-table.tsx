// A person's sessions as a table (browser, signed in, last seen), each with a
// button that ends it: the person's own sessions page and an admin's view of
// someone's sessions show the same table. The page around it says what ending
// them all means, which differs between the two.
import { Form } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { INTL_LOCALES, isLanguage } from '~/i18n/config';
import { formatDateTime } from '~/utils/local-time';

/** A row as listSessionRows makes it: `id` is the session's digest (posted by the end form), `no` what the page calls it. */
export type SessionTableRow = { id: string; no: number; createdAt: string; lastSeenAt: string; agent: string; current: boolean; pending: boolean };

export function SessionTable({ sessions, currentLabel }: { sessions: SessionTableRow[]; /** Said after the asking browser's session. */ currentLabel: string }) {
  const { t, i18n } = useTranslation('admin');
  const locale = INTL_LOCALES[isLanguage(i18n.language) ? i18n.language : 'ja'];
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t('sessions.columns.device')}</th>
            <th scope="col">{t('sessions.columns.signedIn')}</th>
            <th scope="col">{t('sessions.columns.lastSeen')}</th>
            <th scope="col">{t('sessions.columns.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {s.agent}
                {s.current ? currentLabel : ''}
                {s.pending ? t('sessions.pending') : ''}
              </th>
              <td>
                <time dateTime={s.createdAt}>{formatDateTime(s.createdAt, locale)}</time>
              </td>
              <td>
                <time dateTime={s.lastSeenAt}>{formatDateTime(s.lastSeenAt, locale)}</time>
              </td>
              <td>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="end" />
                  <input type="hidden" name="session" value={s.id} />
                  <button type="submit" className="button--secondary" aria-label={t('sessions.endOne', { no: s.no, agent: s.agent })}>
                    {t('sessions.end')}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
