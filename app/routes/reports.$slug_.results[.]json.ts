// GET /reports/:slug/results.json — the results board as data. Hidden counts
// are the string "<3"; figures not shown (too few to be meaningful) are null.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getRequestT } from '~/i18n/i18n.server';
import { getReportTitleIn } from '~/models/notice-translations.server';
import { getCachedResults } from '~/models/results-cache.server';
import { wordResults } from '~/models/results.server';
import { getDb } from '~/server/db.server';
import { reportContentVersion } from '~/server/page-version.server';

export async function loader({ params, request }: LoaderFunctionArgs) {
  const db = getDb();
  const results = await getCachedResults(db, params.slug ?? '', await reportContentVersion());
  if (!results) throw new Response('Not Found', { status: 404 });
  // Labels in the reader's language, as on the results page (keys and figures are the same in every language).
  const { lng, t } = await getRequestT(request, ['reports', 'common']);
  const notice = await getReportTitleIn(db, results.slug, lng);
  const original = !!notice && !notice.title && notice.lang === lng;
  return new Response(JSON.stringify(wordResults(results, t, original), null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}
