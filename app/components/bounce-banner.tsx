// On every staff page while the office's or a unit's address hard-bounced:
// mail to it is not arriving, and someone must fix the address. Presentational.
import { Link } from '@remix-run/react';
import type { AddressBounce } from '~/models/mail-events.server';
import { formatDateTime } from '~/utils/local-time';

export function BounceBanner({ bounces, canFixUnits }: { bounces: AddressBounce[]; canFixUnits: boolean }) {
  if (bounces.length === 0) return null;
  return (
    <section className="alert" aria-labelledby="bounce-banner-title">
      {/* Not a heading: the banner sits above each page's h1. */}
      <p id="bounce-banner-title">
        <strong>メールが届かないアドレスがあります</strong>
      </p>
      <ul>
        {bounces.map((b) => (
          <li key={`${b.scope}-${b.unit?.id ?? ''}-${b.address}`}>
            {b.scope === 'office' ? '事務局' : `担当部署「${b.unit?.name ?? ''}」`}のアドレス {b.address} に送ったメールが
            <time dateTime={b.at}>{formatDateTime(b.at)}</time>に届きませんでした
            {b.statusCode || b.diagnostic ? `(${[b.statusCode, b.diagnostic].filter(Boolean).join(' ')})` : ''}。
            {b.scope === 'office' ? (
              '管理者が設定 OFFICE_EMAIL(または ESCALATION_EMAIL)を正しいアドレスに直し、サーバーを再起動すると、この表示は消えます。'
            ) : canFixUnits ? (
              <>
                <Link to="/staff/units">担当部署</Link>
                でアドレスを直して保存すると、この表示は消えます。
              </>
            ) : (
              '管理者が担当部署のアドレスを直すと、この表示は消えます。'
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
