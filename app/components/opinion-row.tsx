// A row of the staff's opinion tables (the inbox, the dashboard's overdue
// list), with its header, so both tables name and order their columns alike.
// `excerpt` adds the channel and the opinion's text (the inbox).
import { Link } from '@remix-run/react';
import type { Channel, OpinionStatus } from '../../db/schema';
import { DueDate, Highlighted, OutsidePeriodMark, StatusBadge } from '~/components/staff-text';
import { CHANNEL_LABELS } from '~/domain/labels';
import type { TextPart } from '~/utils/highlight';
import { formatTarget } from '~/utils/format';
import { formatDateTime } from '~/utils/local-time';

export type OpinionRowData = {
  id: number;
  trackingNumber: string;
  sectionNumber: number;
  itemNumber: number | null;
  channel: Channel;
  status: OpinionStatus;
  receivedAt: string;
  /** Received outside the comment period (期間外); absent where the list does not know. */
  outsidePeriod?: boolean;
  dueAt: string;
  overdue: boolean;
  name: string | null;
  unitName: string | null;
  assigneeName: string | null;
  highlights: { body: TextPart[]; name: TextPart[]; trackingNumber: TextPart[] };
};

export function OpinionTableHead({ excerpt = false }: { excerpt?: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">受付番号</th>
        <th scope="col">受付日時</th>
        {excerpt ? <th scope="col">経路</th> : null}
        <th scope="col">対象</th>
        {excerpt ? <th scope="col">意見</th> : null}
        <th scope="col">状態</th>
        <th scope="col">担当</th>
        <th scope="col">回答期限</th>
      </tr>
    </thead>
  );
}

export function OpinionRow({ opinion: r, excerpt = false }: { opinion: OpinionRowData; excerpt?: boolean }) {
  return (
    <tr className={r.overdue ? 'is-overdue' : undefined}>
      <td>
        <Link to={`/staff/opinions/${r.id}`} className="tracking-number">
          <Highlighted parts={r.highlights.trackingNumber} />
        </Link>
      </td>
      <td>
        <time dateTime={r.receivedAt}>{formatDateTime(r.receivedAt)}</time>
        {r.outsidePeriod ? <OutsidePeriodMark /> : null}
      </td>
      {excerpt ? <td>{CHANNEL_LABELS[r.channel]}</td> : null}
      <td>{formatTarget(r, 'short')}</td>
      {excerpt ? (
        <td className="inbox-table__body">
          {r.name ? (
            <span className="inbox-table__name">
              <Highlighted parts={r.highlights.name} />
              <span className="visually-hidden">:</span>
            </span>
          ) : null}
          <Highlighted parts={r.highlights.body} />
        </td>
      ) : null}
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td>
        {r.unitName ?? <span className="muted">部署未定</span>}
        <br />
        {r.assigneeName ?? <span className="muted">担当者未定</span>}
      </td>
      <td>
        <DueDate dueAt={r.dueAt} overdue={r.overdue} />
      </td>
    </tr>
  );
}
