// GET /reports/:slug/results.json — the results board as data. Hidden counts
// are the string "<3"; figures not shown (too few to be meaningful) are null.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { getResults } from '~/models/results.server';
import { getDb } from '~/server/db.server';

export async function loader({ params }: LoaderFunctionArgs) {
  const results = await getResults(getDb(), params.slug ?? '');
  if (!results) throw new Response('Not Found', { status: 404 });
  return new Response(JSON.stringify(results, null, 2), {
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' },
  });
}
