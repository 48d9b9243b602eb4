// GET /reports/:slug/results.csv — the results board's figures for
// spreadsheets: UTF-8 with a byte-order mark, CRLF, formula-safe cells (the
// same helper as the staff export). Hidden counts stay "<3". Words in the
// reader's language (cookie, ?lng=, Accept-Language), as on the results page.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
import { getReportTitleIn } from '~/models/notice-translations.server';
import { getCachedResults } from '~/models/results-cache.server';
import { resultsCsvRows, wordResults } from '~/models/results.server';
import { getDb } from '~/server/db.server';
import { reportContentVersion } from '~/server/page-version.server';
import { CSV_BOM, toCsv } from '~/utils/csv';
import { toLocalDay } from '~/utils/local-time';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = getDb();
  const results = await getCachedResults(db, params.slug ?? '', await reportContentVersion());
  if (!results) throw new Response('Not Found', { status: 404 });
  // Headers and labels in the reader's language; targets keep the notice's titles only in its own language.
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  const notice = await getReportTitleIn(db, results.slug, lng);
  const original = !!notice && !notice.title && notice.lang === lng;
  return new Response(CSV_BOM + toCsv(resultsCsvRows(wordResults(results, t, original), t)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${results.slug}-results-${toLocalDay(results.generatedAt)}.csv"`,
      'Cache-Control': 'no-cache',
    },
  });
}
