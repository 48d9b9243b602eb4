// Small pieces shared by the staff pages. Presentational only.
import type { OpinionStatus } from '../../db/schema';
import { toLocalDay } from '~/utils/local-time';
import type { TextPart } from '~/utils/highlight';
import { useStaffFormat } from '~/i18n/staff-format';

/** Text with search matches as <mark> elements (never as an HTML string). */
export function Highlighted({ parts }: { parts: TextPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function StatusBadge({ status }: { status: OpinionStatus }) {
  const f = useStaffFormat();
  return <span className={`status-badge status-badge--${status}`}>{f.status(status)}</span>;
}

/**
 * 期間外: the opinion was received (recorded by staff, or through the API)
 * while its notice's comment period was not open. A word, never colour alone,
 * with the reason spelled out for screen readers and on hover.
 */
export function OutsidePeriodMark() {
  const { t } = useStaffFormat();
  return (
    <strong className="period-marker" title={t('period.outsideTitle')}>
      {t('period.outside')}
      <span className="visually-hidden">{t('period.outsideHidden')}</span>
    </strong>
  );
}

/**
 * The deadline, a day (it means the end of that Shanghai day), with a worded
 * marker when it has passed (never colour alone).
 */
export function DueDate({ dueAt, overdue }: { dueAt: string; overdue: boolean }) {
  const { t, date } = useStaffFormat();
  return (
    <span className={overdue ? 'due due--overdue' : 'due'}>
      <time dateTime={toLocalDay(dueAt)}>{date(dueAt)}</time>
      {overdue ? <strong className="overdue-marker">{t('due.overdue')}</strong> : null}
    </span>
  );
}
