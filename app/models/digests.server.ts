// The office's daily digest in the database: which Shanghai days have had
// theirs (the claim that makes it one a day across processes), and the
// opinions it lists.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import { OPEN_STATUSES } from '~/domain/opinion-status';

type Trx = Transaction<Database>;

export type DigestOpinion = {
  id: number;
  trackingNumber: string;
  reportId: number;
  sectionNumber: number;
  itemNumber: number | null;
  body: string;
  dueAt: string;
  createdAt: string;
  unitName: string | null;
};

/** A list the digest shows, capped: `total` says how many there are in all. */
export type DigestList = { opinions: DigestOpinion[]; total: number };

/** Longer lists are cut here (the mail says how many more); the inbox has them all. */
export const DIGEST_LIST_LIMIT = 200;

export async function hasDigestForDay(trx: Trx, day: string): Promise<boolean> {
  return (await trx.selectFrom('office_digests').select('day').where('day', '=', day).executeTakeFirst()) !== undefined;
}

/** Where the last digest's window ended: the next one starts there. */
export async function lastDigestWindowEnd(trx: Trx): Promise<string | null> {
  const row = await trx.selectFrom('office_digests').select(sql<string | null>`max(window_end)`.as('end')).executeTakeFirst();
  return row?.end ?? null;
}

function opinionList(trx: Trx) {
  return trx
    .selectFrom('opinions as o')
    .leftJoin('units as u', 'u.id', 'o.unit_id')
    .select([
      'o.id',
      'o.tracking_number',
      'o.report_id',
      'o.section_number',
      'o.item_number',
      'o.body',
      'o.due_at',
      'o.created_at',
      'u.name as unit_name',
    ]);
}

type ListQuery = ReturnType<typeof opinionList>;

async function capped(query: ListQuery): Promise<DigestList> {
  const rows = await query.limit(DIGEST_LIST_LIMIT).execute();
  const count = await query.clearSelect().clearOrderBy().select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return {
    total: Number(count.n),
    opinions: rows.map((r) => ({
      id: r.id,
      trackingNumber: r.tracking_number,
      reportId: r.report_id,
      sectionNumber: r.section_number,
      itemNumber: r.item_number,
      body: r.body,
      dueAt: r.due_at,
      createdAt: r.created_at,
      unitName: r.unit_name,
    })),
  };
}

/** Opinions stored after `since` up to `until`, by notice, section and item. */
export function listNewOpinions(trx: Trx, since: string, until: string): Promise<DigestList> {
  return capped(
    opinionList(trx)
      .where('o.created_at', '>', since)
      .where('o.created_at', '<=', until)
      .orderBy('o.report_id')
      .orderBy('o.section_number')
      .orderBy(sql`coalesce(o.item_number, 0)`)
      .orderBy('o.created_at'),
  );
}

/** Open opinions due in [from, to] (due soon) or, without `from`, before `to` (overdue), soonest first. */
export function listOpenOpinionsDue(trx: Trx, range: { from?: string; to: string }): Promise<DigestList> {
  let query = opinionList(trx).where('o.status', 'in', OPEN_STATUSES);
  if (range.from) query = query.where('o.due_at', '>=', range.from).where('o.due_at', '<=', range.to);
  else query = query.where('o.due_at', '<', range.to);
  return capped(query.orderBy('o.due_at').orderBy('o.id'));
}

export type DigestRecord = {
  day: string;
  windowStart: string;
  windowEnd: string;
  newCount: number;
  dueSoonCount: number;
  overdueCount: number;
  messageCount: number;
};

/** Claims the day; a second claim for the same day fails on the primary key. */
export async function recordDigest(trx: Trx, d: DigestRecord, now = new Date()): Promise<void> {
  await trx
    .insertInto('office_digests')
    .values({
      day: d.day,
      window_start: d.windowStart,
      window_end: d.windowEnd,
      new_count: d.newCount,
      due_soon_count: d.dueSoonCount,
      overdue_count: d.overdueCount,
      message_count: d.messageCount,
      created_at: now.toISOString(),
    })
    .execute();
}
