// Small pieces shared by the staff pages. Presentational only.
import type { OpinionStatus } from '../../db/schema';
import { formatDate, toLocalDay } from '~/utils/local-time';
import type { TextPart } from '~/utils/highlight';
import { STATUS_LABELS } from '~/domain/labels';

/** Text with search matches as <mark> elements (never as an HTML string). */
export function Highlighted({ parts }: { parts: TextPart[] }) {
  return (
    <>
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </>
  );
}

export function StatusBadge({ status }: { status: OpinionStatus }) {
  return <span className={`status-badge status-badge--${status}`}>{STATUS_LABELS[status]}</span>;
}

/**
 * 期間外: the opinion was received (recorded by staff, or through the API)
 * while its notice's comment period was not open. A word, never colour alone,
 * with the reason spelled out for screen readers and on hover.
 */
export function OutsidePeriodMark() {
  return (
    <strong className="period-marker" title="意見募集期間の外で受け付けた意見です">
      期間外<span className="visually-hidden">(意見募集期間の外で受け付けた意見)</span>
    </strong>
  );
}

/**
 * The deadline, a day (it means the end of that Shanghai day), with a worded
 * marker when it has passed (never colour alone).
 */
export function DueDate({ dueAt, overdue }: { dueAt: string; overdue: boolean }) {
  return (
    <span className={overdue ? 'due due--overdue' : 'due'}>
      <time dateTime={toLocalDay(dueAt)}>{formatDate(dueAt)}</time>
      {overdue ? <strong className="overdue-marker">期限超過</strong> : null}
    </span>
  );
}
