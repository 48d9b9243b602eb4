// Marks a list of opinions carries beside its own columns: which of them were
// received outside their notice's comment period (期間外). The inbox query
// (inbox.server) does not select it yet; until it does, the inbox asks here
// for the page's ids, one indexed lookup by primary key.
import type { DB } from '~/server/db.server';

/** The ids among `ids` that are marked 期間外. */
export async function listOutsidePeriodIds(db: DB, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('opinions').select('id').where('id', 'in', [...ids]).where('outside_period', '=', 1).execute();
  return new Set(rows.map((r) => r.id));
}
