import type { DB } from '~/server/db.server';

/**
 * A token that changes whenever the report page would show something else: a
 * new notice revision, an official reply written or changed, a new opinion
 * (the table of contents counts them). The page cache compares it, so it must
 * be cheap: four index look-ups.
 */
export async function getContentVersion(db: DB): Promise<string> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('report_revisions').select((e) => e.fn.max('id').as('v')).as('revision'),
      eb.selectFrom('official_replies').select((e) => e.fn.countAll<number>().as('v')).as('replies'),
      eb.selectFrom('official_replies').select((e) => e.fn.max('updated_at').as('v')).as('repliesUpdatedAt'),
      eb.selectFrom('opinions').select((e) => e.fn.max('id').as('v')).as('opinion'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.revision ?? 0}-${row.replies ?? 0}.${row.repliesUpdatedAt ?? ''}-${row.opinion ?? 0}`;
}
