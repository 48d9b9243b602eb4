// GET /staff/export.csv?<inbox filters>: every matching opinion as CSV for
// spreadsheets. Streamed in keyset batches so a large export never sits in
// memory; a byte-order mark first so Excel reads the Japanese as UTF-8.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { recordAudit } from '~/models/audit.server';
import { countMatching, listOpinionsAfter, type InboxCursor } from '~/models/inbox.server';
import { getSectionTitles, listReports } from '~/models/reports.server';
import { parseInboxFilters } from '~/schemas/inbox-filters';
import { CSV_BOM, toCsvRow } from '~/utils/csv';
import { getDb } from '~/server/db.server';
import { itemLabel, sectionLabel } from '~/utils/format';
import { CHANNEL_LABELS, STATUS_LABELS } from '~/domain/labels';
import { log } from '~/server/request-log.server';
import { requireUser } from '~/server/session.server';

/** More rows than this are cut off (and said so in a header); use filters to split. */
export const EXPORT_MAX_ROWS = 100_000;
const BATCH = 1000;

// Email, phone and postal address are left out on purpose (data minimization): a file travels
// further than the console, and the contact is one click away on the opinion page.
const HEADER = ['受付番号', '受付日時', '受付経路', '通報', '項', '項目名', '小項目', '状態', '担当部署', '担当者', '回答期限', '期限超過', '氏名', '意見'];

/** 2026-11-27 09:30 in Asia/Shanghai: sortable, and read as a date by spreadsheets. */
function shanghaiTimestamp(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 16).replace('T', ' ');
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { filters } = parseInboxFilters(new URL(request.url).searchParams);
  const { page: _page, ...rest } = filters;
  const db = getDb();
  const now = new Date().toISOString();

  const [{ capped }, reports] = await Promise.all([countMatching(db, rest, EXPORT_MAX_ROWS, now), listReports(db)]);
  const titles = new Map<number, Awaited<ReturnType<typeof getSectionTitles>>>();
  const reportTitles = new Map<number, string>();
  for (const r of await db.selectFrom('reports').select(['id', 'slug']).execute()) {
    titles.set(r.id, await getSectionTitles(db, r.id));
    reportTitles.set(r.id, reports.find((x) => x.slug === r.slug)?.title ?? r.slug);
  }
  // Who took which data out, with which filters.
  await recordAudit(db, { actor: user, action: 'opinion.export', entityType: 'opinion', entityId: null, after: { filters: rest } });

  const encoder = new TextEncoder();
  let cursor: InboxCursor | null = null;
  let written = 0;
  let started = false;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(CSV_BOM + toCsvRow(HEADER)));
          return;
        }
        const limit = Math.min(BATCH, EXPORT_MAX_ROWS - written);
        const rows = limit > 0 ? await listOpinionsAfter(db, rest, cursor, limit, now) : [];
        if (rows.length === 0) {
          controller.close();
          return;
        }
        let chunk = '';
        for (const r of rows) {
          const section = titles.get(r.reportId)?.get(r.sectionNumber);
          chunk += toCsvRow([
            r.trackingNumber,
            shanghaiTimestamp(r.receivedAt),
            CHANNEL_LABELS[r.channel],
            reportTitles.get(r.reportId) ?? '',
            sectionLabel(r.sectionNumber),
            r.sectionNumber === 0 ? '' : (section?.title ?? ''),
            r.itemNumber === null ? '' : `${itemLabel(r.itemNumber)}${section?.items.get(r.itemNumber) ?? ''}`,
            STATUS_LABELS[r.status],
            r.unitName ?? '',
            r.assigneeName ?? '',
            shanghaiTimestamp(r.dueAt),
            r.overdue ? '期限超過' : '',
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

  const stamp = shanghaiTimestamp(now).replace(/[-: ]/g, '').slice(0, 12);
  const filename = `ikenbako-opinions-${stamp.slice(0, 8)}-${stamp.slice(8)}.csv`;
  const headers: Record<string, string> = {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  };
  if (capped) headers['X-Export-Truncated'] = String(EXPORT_MAX_ROWS);
  return new Response(stream, { status: 200, headers });
}
