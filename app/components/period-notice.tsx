// The comment period on the report page: the line that says until when
// opinions are taken (with the days left in the last week and any extension
// or early close), and the message that replaces a form outside the period.
import { useTranslation } from 'react-i18next';

export type PeriodView = {
  /** 意見募集期間: … まで (null = no dates: always open). */
  line: string | null;
  /** 締め切りまであと3日 / 本日締め切り, in the last week. */
  daysLeft: string | null;
  /** 延長されました / 早期終了 lines, oldest first. */
  changes: string[];
  /** Why the forms are closed now (null while opinions are taken). */
  closed: string | null;
  /** The office's hours as the notice states them (null: the portal's default wording). */
  officeHours: string | null;
};

export function PeriodLine({ period }: { period: PeriodView }) {
  const { t } = useTranslation();
  if (!period.line && period.changes.length === 0) return null;
  return (
    <div className="period-line">
      {period.line ? (
        <p>
          <strong>{period.line}</strong>
          {period.daysLeft ? <>{t('period.daysLeftParen', { text: period.daysLeft })}</> : null}
        </p>
      ) : null}
      {period.changes.map((c, i) => (
        <p key={i}>{c}</p>
      ))}
    </div>
  );
}

/** In place of a form outside the period: why, and the phone and postal channels that still take opinions. */
export function FormsClosed({
  period,
  phone,
  mailbox,
  noticeLang,
  id,
}: {
  period: PeriodView;
  phone: string;
  mailbox: string;
  noticeLang?: string;
  id?: string;
}) {
  const { t, i18n } = useTranslation();
  return (
    <div className="notice period-closed" id={id}>
      <p>{period.closed}</p>
      {noticeLang && noticeLang !== i18n.language ? (
        <p>
          {t('period.offlineBefore', { phone })}
          <span lang={period.officeHours ? noticeLang : undefined}>{period.officeHours || t('period.defaultOfficeHours')}</span>
          {t('period.offlineMiddle')}
          <span lang={noticeLang}>{mailbox}</span>
          {t('period.offlineAfter')}
        </p>
      ) : (
        <p>{t('period.offline', { phone, mailbox, hours: period.officeHours || t('period.defaultOfficeHours') })}</p>
      )}
    </div>
  );
}
