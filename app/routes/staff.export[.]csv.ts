// GET /staff/export.csv?<inbox filters>: every matching opinion as CSV for
// spreadsheets (built and audited by ~/models/opinion-export.server), its
// headers and words in the staff member's language.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
import { staffFormat } from '~/i18n/staff-format';
import { EXPORT_MAX_ROWS, exportOpinionsCsv } from '~/models/opinion-export.server';
import { parseInboxFilters } from '~/schemas/inbox-filters';
import { getDb } from '~/server/db.server';
import { requireUser } from '~/server/session.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t, lng } = await getRequestT(request, 'staff');
  const { filters } = parseInboxFilters(new URL(request.url).searchParams);
  const { page: _page, ...rest } = filters;
  const { stream, capped, filename } = await exportOpinionsCsv(getDb(), user, rest, staffFormat(t, lng));
  const headers: Record<string, string> = {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  };
  if (capped) headers['X-Export-Truncated'] = String(EXPORT_MAX_ROWS);
  return new Response(stream, { status: 200, headers });
}
