// Rate-limit counters in the database, so that every app process counts in
// the same place: a client limited through one instance is limited on all.
// One row per key; its window starts at the key's first hit and ends at
// resets_at, when the next hit starts a new window. One statement per hit (an
// upsert), no transaction: it takes no write lock beyond its own row. A hit is
// not worth an fsync of its own: on SQLite it is answered at COMMIT and made
// durable by the next opinion's sync (a power cut forgets a few hits at most).
import { sql } from 'kysely';
import type { DB } from '~/server/db.server';
import { NO_SYNC } from '~/server/db-writer.server';
import { preparedQuery } from '~/server/prepared-query.server';

// Once for every opinion, and every look-up and API call: built once (prepared-query.server.ts).
const upsertHit = preparedQuery((db, p: { key: string; resetsAt: string; now: string }) =>
  db
    .insertInto('rate_limits')
    .values({ key: p.key, count: 1, resets_at: p.resetsAt })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql<number>`case when rate_limits.resets_at <= ${p.now} then 1 else rate_limits.count + 1 end`,
        resets_at: sql<string>`case when rate_limits.resets_at <= ${p.now} then excluded.resets_at else rate_limits.resets_at end`,
      }),
    )
    .returning(['count', 'resets_at'])
    .modifyEnd(NO_SYNC),
);

/** Counts one hit for `key` and returns the hits in its window (this one included) and when the window ends. */
export async function addRateLimitHit(
  db: DB,
  key: string,
  windowMs: number,
  now: Date,
): Promise<{ count: number; resetsAt: string }> {
  const { rows } = await upsertHit(db, { key, resetsAt: new Date(now.getTime() + windowMs).toISOString(), now: now.toISOString() });
  const row = rows[0];
  return { count: Number(row.count), resetsAt: row.resets_at };
}

/** The hits counted for `key` in a window that has not ended at `now` (none: null), without counting one. */
export async function readRateLimitHits(db: DB, key: string, now: Date): Promise<{ count: number; resetsAt: string } | null> {
  const row = (await selectHits(db, { key, now: now.toISOString() })).rows[0];
  return row ? { count: Number(row.count), resetsAt: row.resets_at } : null;
}
const selectHits = preparedQuery((db, p: { key: string; now: string }) =>
  db.selectFrom('rate_limits').select(['count', 'resets_at']).where('key', '=', p.key).where('resets_at', '>', p.now),
);

/** Deletes the rows whose window has ended (housekeeping): they count nothing any more. */
export async function purgeRateLimits(db: DB, now: Date): Promise<number> {
  const result = await db.deleteFrom('rate_limits').where('resets_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
