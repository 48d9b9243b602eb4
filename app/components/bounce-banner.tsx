// On every staff page while the office's or a unit's address hard-bounced:
// mail to it is not arriving, and someone must fix the address. Presentational.
import { Link } from '@remix-run/react';
import { Trans } from 'react-i18next';
import { useStaffFormat } from '~/i18n/staff-format';
import type { AddressBounce } from '~/models/mail-events.server';

export function BounceBanner({ bounces, canFixUnits }: { bounces: AddressBounce[]; canFixUnits: boolean }) {
  const { t, dateTime } = useStaffFormat();
  if (bounces.length === 0) return null;
  return (
    <section className="alert" aria-labelledby="bounce-banner-title">
      {/* Not a heading: the banner sits above each page's h1. */}
      <p id="bounce-banner-title">
        <strong>{t('bounce.title')}</strong>
      </p>
      <ul>
        {bounces.map((b) => {
          // The diagnostic is the remote server's text: interpolated as a value, never parsed as markup.
          const detail = b.statusCode || b.diagnostic ? t('bounce.detail', { text: [b.statusCode, b.diagnostic].filter(Boolean).join(' ') }) : '';
          const owner = b.scope === 'office' ? t('bounce.office') : t('bounce.unit', { name: b.unit?.name ?? '' });
          return (
            <li key={`${b.scope}-${b.unit?.id ?? ''}-${b.address}`}>
              {t('bounce.failedBefore', { owner, address: b.address })}
              <time dateTime={b.at}>{dateTime(b.at)}</time>
              {t('bounce.failedAfter', { detail })}
              {b.scope === 'office' ? (
                t('bounce.fixOffice')
              ) : canFixUnits ? (
                <Trans t={t} i18nKey="bounce.fixUnit" components={{ units: <Link to="/staff/units" /> }} />
              ) : (
                t('bounce.fixUnitAdmin')
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
