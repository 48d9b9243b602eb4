import type { DB } from '~/server/db.server';
import { toLocalDay } from '~/utils/local-time';

export type ContentVersion = {
  /**
   * Changes whenever the report page would say something else: a new notice
   * revision, an official reply written or changed, a change of a comment
   * period, a period opening or closing as time passes, and a new day (the
   * days-left count).
   */
  content: string;
  /**
   * Changes with every opinion stored (the table of contents counts them) and
   * with views counted by any process.
   * The page cache refreshes such counts at most every half minute, so that
   * a flood of opinions does not re-render the page each second.
   */
  tally: string;
};

const REPORT_CONTENT = 'report_content';

/**
 * Records that what the report page shows has changed, for every app process
 * (each reads the version at most once a second). Best called in the
 * transaction of the change; the page cache's invalidateReportPages calls it
 * after the commit for writers that do not yet.
 */
export async function bumpContentVersion(db: DB): Promise<void> {
  await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', REPORT_CONTENT)
    .execute();
}

/**
 * What the report page shows, as two tokens the page cache compares. It must
 * be cheap: a few index look-ups and two scans of the small reports table.
 */
export async function getContentVersion(db: DB, now = new Date()): Promise<ContentVersion> {
  const nowIso = now.toISOString();
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('report_revisions').select((e) => e.fn.max('id').as('v')).as('revision'),
      eb.selectFrom('official_replies').select((e) => e.fn.countAll<number>().as('v')).as('replies'),
      eb.selectFrom('official_replies').select((e) => e.fn.max('updated_at').as('v')).as('repliesUpdatedAt'),
      eb.selectFrom('opinions').select((e) => e.fn.max('id').as('v')).as('opinion'),
      eb.selectFrom('comment_period_changes').select((e) => e.fn.max('id').as('v')).as('periodChange'),
      eb.selectFrom('report_translations').select((e) => e.fn.max('id').as('v')).as('translation'),
      eb.selectFrom('counters').where('name', '=', REPORT_CONTENT).select('value').as('bumped'),
      eb.selectFrom('reports').select((e) => e.fn.sum<number>('view_count').as('v')).as('views'),
      eb.selectFrom('reports').where('opens_at', '<=', nowIso).select((e) => e.fn.countAll<number>().as('v')).as('opened'),
      eb.selectFrom('reports').where('closes_at', '<=', nowIso).select((e) => e.fn.countAll<number>().as('v')).as('closed'),
    ])
    .executeTakeFirstOrThrow();
  const period = `${row.periodChange ?? 0}.${row.opened ?? 0}.${row.closed ?? 0}.${toLocalDay(now)}`;
  return {
    content: `${row.bumped ?? 0}.${row.revision ?? 0}.${row.translation ?? 0}-${row.replies ?? 0}.${row.repliesUpdatedAt ?? ''}-${period}`,
    tally: `${row.opinion ?? 0}.${row.views ?? 0}`,
  };
}
