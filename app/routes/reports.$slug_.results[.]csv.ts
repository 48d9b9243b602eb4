// GET /reports/:slug/results.csv — the results board's figures for
// spreadsheets: UTF-8 with a byte-order mark, CRLF, formula-safe cells (the
// same helper as the staff export). Hidden counts stay "<3".
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getResults, resultsCsvRows } from '~/models/results.server';
import { getDb } from '~/server/db.server';
import { CSV_BOM, toCsv } from '~/utils/csv';
import { toLocalDay } from '~/utils/local-time';

export async function loader({ params }: LoaderFunctionArgs) {
  const results = await getResults(getDb(), params.slug ?? '');
  if (!results) throw new Response('Not Found', { status: 404 });
  return new Response(CSV_BOM + toCsv(resultsCsvRows(results)), {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${results.slug}-results-${toLocalDay(results.generatedAt)}.csv"`,
      'Cache-Control': 'no-cache',
    },
  });
}
