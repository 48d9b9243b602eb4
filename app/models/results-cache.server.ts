// The public results board as its pages serve it (decision 013, second
// amendment): the figures of getResults kept in memory per notice and process,
// so that a surge of readers costs one computation, not one each.
import type { DB } from '~/server/db.server';
import { getResults, type Results } from './results.server';

/** How long the board's figures are served as they were computed (the page says when). */
export const RESULTS_MAX_AGE_MS = 30_000;
const cached = new Map<string, { at: number; version: string; results: Promise<Results | null> }>();

/**
 * getResults as the public pages serve it: computed at most once per
 * RESULTS_MAX_AGE_MS per notice and process, however many readers ask
 * (they wait on the same computation), so that a surge on the board costs
 * its queries (~0.3 s at a million opinions) twice a minute, not per reader.
 * `version` is what the report pages show (page-cache's reportContentVersion):
 * when it changes (a reply published, a revision, a period) the board is
 * computed again at once; new opinions and status changes show within
 * RESULTS_MAX_AGE_MS. A failed computation or an unknown slug is not kept.
 */
export function getCachedResults(db: DB, slug: string, version: string, now = Date.now()): Promise<Results | null> {
  const hit = cached.get(slug);
  if (hit && hit.version === version && now >= hit.at && now - hit.at < RESULTS_MAX_AGE_MS) return hit.results;
  const results = getResults(db, slug, new Date(now));
  cached.set(slug, { at: now, version, results });
  // Neither a failure nor an unknown slug is kept (a crawler's guesses would fill the map).
  const forget = () => {
    if (cached.get(slug)?.results === results) cached.delete(slug);
  };
  results.then((r) => r === null && forget(), forget);
  return results;
}
