// A search whose newest opinions are about something else (a burst on another
// subject) reads its matches newest id first and stops once no match left
// unread can come before the page's end (decision 013, newestMatchesPage):
// the same rows in the same order as reading every row, for any filters and
// page, with opinions recorded late (phone, post), a date corrected after,
// opinions received at the same moment, and matches not indexed yet, new or
// edited.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOpinions, newestMatchesPage, type InboxFilters } from '~/models/inbox.server';
import { newestFirst, planSearch, walkable } from '~/models/inbox-search.server';
import { INBOX_PAGE_SIZE } from '~/schemas/inbox-filters';
import { openServerDatabase, type DB } from '~/server/db.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let server: ReturnType<typeof openServerDatabase>;
let db: DB;

const NOW = '2026-12-01T00:00:00.000Z';
const PHRASE = '困っています';
/** Opinions older than the burst: two in three hold the phrase. */
const OLDER = 3_000;
/** Recorded late: stored after the older ones, received among them. */
const LATE = 300;
/** The newest opinions, none with the phrase. */
const BURST = 2_500;

const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1) + minutes * 60_000).toISOString();

beforeAll(async () => {
  t = await createTestDb();
  server = openServerDatabase(t.file);
  db = server.db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const row = (i: number, minutes: number, body: string, channel: 'web' | 'phone' = 'web') => ({
    tracking_number: `NF-${String(i).padStart(5, '0')}`,
    receipt_token: `newest-first-receipt-${i}-abcdefgh`,
    report_id: reportId,
    section_number: i % 4,
    body,
    name: null,
    channel,
    status: i % 3 ? ('new' as const) : ('triaged' as const),
    received_at: at(minutes),
    due_at: at(minutes),
    // Stored as they come: the ids follow created_at, not received_at.
    created_at: at(Math.max(minutes, i)),
    updated_at: at(Math.max(minutes, i)),
  });
  const rows = [
    // Two opinions a minute, so that many share their received_at.
    ...Array.from({ length: OLDER }, (_, i) => row(i, Math.floor(i / 2), i % 3 ? `駐車場が${PHRASE}(${i})。` : `歩道の段差が危ないです(${i})。`)),
    ...Array.from({ length: LATE }, (_, j) => {
      const i = OLDER + j;
      return row(i, (j * 7919) % (OLDER / 2), j % 2 ? `電話で:${PHRASE}(${i})。` : `電話で:街灯が暗いです(${i})。`, 'phone');
    }),
    // After a gap in the ids (opinions removed), so that the matches' density
    // among the ids puts them at the tens of thousands worth reading newest first.
    ...Array.from({ length: BURST }, (_, j) => ({ ...row(OLDER + LATE + j, OLDER + j, `新しい話題です(${OLDER + LATE + j})。`), id: 40_000 + j })),
  ];
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('opinions').values(rows.slice(i, i + 500)).execute();
  while ((await server.background!.indexNow()) > 0);
  // A date corrected by staff: one of the first opinions stored now comes among
  // the newest matches' dates (the third page's), far above the ids read first.
  await db.updateTable('opinions').set({ received_at: at(1_400) }).where('tracking_number', '=', 'NF-00002').execute();
  // Not indexed yet: one new opinion with the phrase, and an older one edited (it keeps the phrase, its id and its date).
  await db.insertInto('opinions').values(row(9_000, OLDER + BURST + 5, `いま届いた:${PHRASE}。`)).execute();
  await db.updateTable('opinions').set({ body: `訂正:${PHRASE}(1)。` }).where('tracking_number', '=', 'NF-00001').execute();
});
afterAll(async () => {
  await db.destroy();
  await t.close();
});

/** Every page of a search, as the inbox lists it. */
async function pages(filters: Omit<InboxFilters, 'page'>) {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const p = await listOpinions(db, { ...filters, page }, NOW);
    ids.push(...p.rows.map((r) => r.id));
    if (!p.hasNext) return ids;
  }
}

/** The same read from every row: the text holds the phrase, within the filters, newest first. */
async function everyRow(filters: Omit<InboxFilters, 'page' | 'q'>) {
  let q = db
    .selectFrom('opinions')
    .select('id')
    .where(sql<boolean>`instr(body, ${PHRASE}) > 0`)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc');
  if (filters.status) q = q.where('status', '=', filters.status);
  if (filters.section !== undefined) q = q.where('section_number', '=', filters.section);
  if (filters.channel) q = q.where('channel', '=', filters.channel);
  return (await q.execute()).map((r) => r.id);
}

describe('a search after a burst on another subject', () => {
  it('is walked first (finding one match among the newest), then read newest first; fewer matches in all are materialised instead', async () => {
    const plan = await planSearch(db, PHRASE);
    expect(plan.parts[0].matches).toBeGreaterThan(1_500);
    expect(newestFirst(plan)).toBe(true);
    // Fewer matches in all (the same density, no gap) are materialised instead.
    expect(newestFirst({ ...plan, parts: [{ ...plan.parts[0], maxId: plan.parts[0].lastId * 2 }] })).toBe(false);
    // The walk is tried (the matches lie densely among the ids); among the burst it finds none.
    expect(walkable(plan, INBOX_PAGE_SIZE + 1)).toBe(true);
    const newest = await db.selectFrom('opinions').select('body').orderBy('received_at', 'desc').limit(2_000).execute();
    expect(newest.filter((o) => o.body.includes(PHRASE))).toHaveLength(1);
  });

  it('proves page 1 and page 3 from the newest matches, with the rows reading every row gives', async () => {
    const plan = await planSearch(db, PHRASE);
    const expected = await everyRow({});
    for (const page of [1, 3]) {
      const need = page * INBOX_PAGE_SIZE + 1;
      const rows = await newestMatchesPage(db, { q: PHRASE, page }, NOW, plan, need);
      expect(rows).not.toBeNull();
      const start = (page - 1) * INBOX_PAGE_SIZE;
      expect(rows!.map((r) => r.id)).toEqual(expected.slice(start, start + INBOX_PAGE_SIZE + 1));
    }
    const id = async (tracking: string) => (await db.selectFrom('opinions').select('id').where('tracking_number', '=', tracking).executeTakeFirstOrThrow()).id;
    // The new opinion not indexed yet leads page 1, the corrected one is on page 3, the edited one is listed.
    expect(expected[0]).toBe(await id('NF-09000'));
    expect(expected.indexOf(await id('NF-00002'))).toBeGreaterThanOrEqual(2 * INBOX_PAGE_SIZE);
    expect(expected.indexOf(await id('NF-00002'))).toBeLessThan(3 * INBOX_PAGE_SIZE);
    expect(expected).toContain(await id('NF-00001'));
  });

  it.each<Omit<InboxFilters, 'page' | 'q'>>([{}, { status: 'new' }, { section: 2 }, { channel: 'phone' }, { status: 'triaged', section: 1 }])(
    'lists every page as reading every row does (%o)',
    async (filters) => {
      const expected = await everyRow(filters);
      expect(expected.length).toBeGreaterThan(0);
      expect(await pages({ ...filters, q: PHRASE })).toEqual(expected);
    },
  );

  it('keeps to a received-date range, in the bound as in the rows', async () => {
    const from = '2026-06-01';
    const to = '2026-06-01';
    const all = (await everyRow({})).length;
    const inRange = await db
      .selectFrom('opinions')
      .select('id')
      .where(sql<boolean>`instr(body, ${PHRASE}) > 0`)
      .where('received_at', '>=', '2026-05-31T16:00:00.000Z')
      .where('received_at', '<', '2026-06-01T16:00:00.000Z')
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(inRange.length).toBeGreaterThan(INBOX_PAGE_SIZE);
    expect(inRange.length).toBeLessThan(all);
    expect(await pages({ q: PHRASE, from, to })).toEqual(inRange.map((r) => r.id));
  });

  it('gives up at once when an opinion below the matches read was received after all of them', async () => {
    // Dates that do not follow the ids: the oldest id now carries the newest date.
    const first = await db.selectFrom('opinions').select(['id', 'received_at']).orderBy('id').executeTakeFirstOrThrow();
    await db.updateTable('opinions').set({ received_at: at(OLDER + BURST + 60) }).where('id', '=', first.id).execute();
    try {
      const plan = await planSearch(db, PHRASE);
      expect(await newestMatchesPage(db, { q: PHRASE, page: 1 }, NOW, plan, INBOX_PAGE_SIZE + 1)).toBeNull();
      // The inbox still lists what reading every row lists (the matches materialised).
      expect(await pages({ q: PHRASE })).toEqual(await everyRow({}));
    } finally {
      await db.updateTable('opinions').set({ received_at: first.received_at }).where('id', '=', first.id).execute();
    }
  });
});
