// Every opinion matching the inbox filters as CSV for spreadsheets. Streamed in
// keyset batches so a large export never sits in memory; a byte-order mark
// first so Excel reads the text as UTF-8. Headers and words (channel, status,
// section) are in the language of the StaffFormat given. The export is
// audited: who took which data out, with which filters.
import type { StaffFormat } from '~/i18n/staff-format';
import { recordAudit } from '~/models/audit.server';
import { countMatching, listOpinionsAfter, type InboxCursor } from '~/models/inbox.server';
import { listReportOutlines } from '~/models/report-outlines.server';
import type { InboxFilters } from '~/schemas/inbox-filters';
import type { DB } from '~/server/db.server';
import { log } from '~/server/request-log.server';
import type { StaffUser } from '~/server/session.server';
import { CSV_BOM, toCsvRow } from '~/utils/csv';
import { formatSortableDateTime, toLocalDay } from '~/utils/local-time';

/** More rows than this are cut off (and said so in a header); use filters to split. */
export const EXPORT_MAX_ROWS = 100_000;
const BATCH = 1000;

// Email, phone and postal address are left out on purpose (data minimization): a file travels
// further than the console, and the contact is one click away on the opinion page.
// Keys of csv.header.* in the staff catalog, in column order.
const HEADER = ['trackingNumber', 'receivedAt', 'channel', 'report', 'section', 'sectionTitle', 'item', 'status', 'unit', 'assignee', 'dueAt', 'overdue', 'name', 'body'];

export type OpinionExport = { stream: ReadableStream<Uint8Array>; capped: boolean; filename: string };

export async function exportOpinionsCsv(
  db: DB,
  actor: StaffUser,
  filters: Omit<InboxFilters, 'page'>,
  f: StaffFormat,
  now = new Date().toISOString()
): Promise<OpinionExport> {
  const [{ capped }, outlines] = await Promise.all([
    countMatching(db, filters, EXPORT_MAX_ROWS, now),
    listReportOutlines(db),
  ]);
  const reports = new Map(outlines.map((r) => [r.id, r]));
  await recordAudit(db, {
    actor,
    action: 'opinion.export',
    entityType: 'opinion',
    entityId: null,
    after: { filters: filters },
  });

  const encoder = new TextEncoder();
  let cursor: InboxCursor | null = null;
  let written = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_BOM + toCsvRow(HEADER.map((h) => f.t(`csv.header.${h}`)))));
          return;
        }
        const limit = Math.min(BATCH, EXPORT_MAX_ROWS - written);
        const rows = limit > 0 ? await listOpinionsAfter(db, filters, cursor, limit, now) : [];
        if (rows.length === 0) {
          controller.close();
          return;
        }
        let chunk = '';
        for (const r of rows) {
          const report = reports.get(r.reportId);
          const section = report?.sections.find((s) => s.number === r.sectionNumber);
          const item = section?.items.find((i) => i.number === r.itemNumber);
          chunk += toCsvRow([
            r.trackingNumber,
            formatSortableDateTime(r.receivedAt),
            f.channel(r.channel),
            report?.title ?? '',
            f.section(r.sectionNumber),
            r.sectionNumber === 0 ? '' : section?.title ?? '',
            r.itemNumber === null ? '' : `${f.item(r.itemNumber)}${item?.heading ?? ''}`,
            f.status(r.status),
            r.unitName ?? '',
            r.assigneeName ?? '',
            // A deadline is a day (the end of it), so the date alone.
            toLocalDay(r.dueAt),
            r.overdue ? f.t('csv.overdue') : '',
            r.name ?? '',
            r.body,
          ]);
        }
        written += rows.length;
        const last = rows[rows.length - 1];
        cursor = { receivedAt: last.receivedAt, id: last.id };
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        log('error', 'csv export failed', { error: String(error) });
        controller.error(error);
      }
    },
  });

  const stamp = formatSortableDateTime(now).replace(/[-: ]/g, '').slice(0, 12);
  return { stream, capped, filename: `ikenbako-opinions-${stamp.slice(0, 8)}-${stamp.slice(8)}.csv` };
}
