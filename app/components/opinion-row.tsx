// A row of the staff's opinion tables (the inbox, the dashboard's overdue
// list), with its header, so both tables name and order their columns alike.
// `excerpt` adds the channel and the opinion's text (the inbox).
import type { MouseEvent } from 'react';
import { useNavigate, type NavigateFunction } from '@remix-run/react';
import type { Channel, OpinionStatus } from '../../db/schema';
import { DueDate, Highlighted, OutsidePeriodMark, StatusBadge } from '~/components/staff-text';
import { useStaffFormat } from '~/i18n/staff-format';
import type { TextPart } from '~/utils/highlight';

export type OpinionRowData = {
  id: number;
  trackingNumber: string;
  sectionNumber: number;
  itemNumber: number | null;
  channel: Channel;
  status: OpinionStatus;
  receivedAt: string;
  /** Received outside the comment period (期間外). */
  outsidePeriod: boolean;
  dueAt: string;
  overdue: boolean;
  name: string | null;
  unitName: string | null;
  assigneeName: string | null;
  highlights: { body: TextPart[]; name: TextPart[]; trackingNumber: TextPart[] };
};

export function OpinionTableHead({ excerpt = false }: { excerpt?: boolean }) {
  const { t } = useStaffFormat();
  return (
    <thead>
      <tr>
        <th scope="col">{t('row.trackingNumber')}</th>
        <th scope="col">{t('row.receivedAt')}</th>
        {excerpt ? <th scope="col">{t('row.channel')}</th> : null}
        <th scope="col">{t('row.target')}</th>
        {excerpt ? <th scope="col">{t('row.opinion')}</th> : null}
        <th scope="col">{t('row.status')}</th>
        <th scope="col">{t('row.assignee')}</th>
        <th scope="col">{t('row.dueAt')}</th>
      </tr>
    </thead>
  );
}

function OpinionRow({ opinion: r, excerpt = false }: { opinion: OpinionRowData; excerpt?: boolean }) {
  const f = useStaffFormat();
  const { t } = f;
  return (
    <tr className={r.overdue ? 'is-overdue' : undefined}>
      <td>
        <a href={`/staff/opinions/${r.id}`} className="tracking-number" data-discover="true">
          <Highlighted parts={r.highlights.trackingNumber} />
        </a>
      </td>
      <td>
        <time dateTime={r.receivedAt}>{f.dateTime(r.receivedAt)}</time>
        {r.outsidePeriod ? <OutsidePeriodMark /> : null}
      </td>
      {excerpt ? <td>{f.channel(r.channel)}</td> : null}
      <td>{f.target(r, 'short')}</td>
      {excerpt ? (
        <td className="inbox-table__body">
          {r.name ? (
            <span className="inbox-table__name">
              <Highlighted parts={r.highlights.name} />
              <span className="visually-hidden">{t('row.nameSeparator')}</span>
            </span>
          ) : null}
          <Highlighted parts={r.highlights.body} />
        </td>
      ) : null}
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td>
        {r.unitName ?? <span className="muted">{t('row.noUnit')}</span>}
        <br />
        {r.assigneeName ?? <span className="muted">{t('row.noAssignee')}</span>}
      </td>
      <td>
        <DueDate dueAt={r.dueAt} overdue={r.overdue} />
      </td>
    </tr>
  );
}

/**
 * Opens a row's link in the app, as <Link> would (no document load), unless
 * the reader asked for a new tab or window. One handler for the whole table:
 * a <Link> per row resolved its path through the router while rendering, a
 * tenth of the inbox page's time for fifty rows.
 */
function followInApp(event: MouseEvent<HTMLElement>, navigate: NavigateFunction): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
  const link = (event.target as Element).closest('a');
  const href = link?.getAttribute('href');
  if (!link || !href?.startsWith('/') || href.startsWith('//') || link.target || link.hasAttribute('download')) return;
  event.preventDefault();
  navigate(href);
}

/** The table's body: one OpinionRow per opinion, their links followed in the app. */
export function OpinionRows({ opinions, excerpt = false }: { opinions: OpinionRowData[]; excerpt?: boolean }) {
  const navigate = useNavigate();
  return (
    <tbody onClick={(event) => followInApp(event, navigate)}>
      {opinions.map((r) => (
        <OpinionRow key={r.id} opinion={r} excerpt={excerpt} />
      ))}
    </tbody>
  );
}
