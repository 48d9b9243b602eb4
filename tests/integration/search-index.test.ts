// Deferred search indexing (decision 013) against a real SQLite file: an
// opinion is found by a search right after it is stored (from the queue, by
// its text) and after the background writer has indexed it (from the trigram
// and grams indexes), an edit is never found by its old text, and the grams
// index answers 1–2 character searches exactly as reading every row would.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countByStatus, listOpinions } from '~/models/inbox.server';
import { openServerDatabase, type DB } from '~/server/db.server';
import { isGramTerm, searchGrams } from '~/utils/search-grams.mjs';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let server: ReturnType<typeof openServerDatabase>;
let db: DB;
let reportId: number;
let seq = 0;

beforeAll(async () => {
  t = await createTestDb();
  // Indexing only when a test asks (indexNow), so that the queue path is seen.
  server = openServerDatabase(t.file);
  db = server.db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await db.destroy();
  await t.close();
});

async function store(body: string, name: string | null = null): Promise<number> {
  seq++;
  const now = new Date(Date.UTC(2026, 10, 1) + seq * 60_000).toISOString();
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: `SI-${String(seq).padStart(4, '0')}`,
      receipt_token: `search-index-receipt-${seq}-abcdef`,
      report_id: reportId,
      section_number: 1,
      body,
      name,
      channel: 'web',
      received_at: now,
      due_at: now,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const found = async (q: string) => (await listOpinions(db, { q }, '2026-12-01T00:00:00.000Z')).rows.map((r) => r.id).sort((a, b) => a - b);
const queued = async () => (await db.selectFrom('opinions_search_queue').select('opinion_id').execute()).map((r) => r.opinion_id);

describe('deferred search indexing', () => {
  it('finds an opinion right after it is stored, and the same after indexing', async () => {
    const id = await store('排水溝の蓋が壊れていて危ないです。', '柳田');
    expect(await queued()).toContain(id);
    const before = { long: await found('排水溝'), short: await found('蓋'), pair: await found('柳田'), count: await countByStatus(db, { q: '排水溝' }) };
    expect(before.long).toEqual([id]);
    expect(before.short).toEqual([id]);
    expect(before.pair).toEqual([id]);

    expect(await server.background!.indexNow()).toBeGreaterThan(0);
    expect(await queued()).toEqual([]);
    expect({ long: await found('排水溝'), short: await found('蓋'), pair: await found('柳田'), count: await countByStatus(db, { q: '排水溝' }) }).toEqual(before);
    // And the indexes themselves hold it now.
    const trigram = await sql<{ rowid: number }>`select rowid from opinions_fts where opinions_fts match '"排水溝"'`.execute(db);
    expect(trigram.rows.map((r) => r.rowid)).toEqual([id]);
  });

  it('never finds an edited opinion by its old text, before or after indexing', async () => {
    const id = await store('街路樹の剪定をお願いします。');
    await server.background!.indexNow();
    await db.updateTable('opinions').set({ body: '歩道橋の塗装をお願いします。' }).where('id', '=', id).execute();
    expect(await queued()).toContain(id);
    expect(await found('街路樹')).toEqual([]);
    expect(await found('剪')).toEqual([]);
    expect(await found('歩道橋')).toEqual([id]);
    expect(await found('塗')).toEqual([id]);
    await server.background!.indexNow();
    expect(await found('街路樹')).toEqual([]);
    expect(await found('剪')).toEqual([]);
    expect(await found('歩道橋')).toEqual([id]);
    expect(await found('塗')).toEqual([id]);
    // Edited again, indexed, then edited twice while queued and indexed: only the last text is found
    // (the indexer deletes nothing; the triggers took each old text out of both indexes).
    await db.updateTable('opinions').set({ body: '歩道橋の照明をお願いします。' }).where('id', '=', id).execute();
    await server.background!.indexNow();
    await db.updateTable('opinions').set({ name: '楠木' }).where('id', '=', id).execute();
    await db.updateTable('opinions').set({ body: '歩道橋の手すりをお願いします。' }).where('id', '=', id).execute();
    await server.background!.indexNow();
    expect(await queued()).toEqual([]);
    expect(await found('塗')).toEqual([]);
    expect(await found('照')).toEqual([]);
    expect(await found('手す')).toEqual([id]);
    expect(await found('楠木')).toEqual([id]);
  });

  it('forgets a deleted opinion in every index and the queue', async () => {
    const kept = await store('消える前に索引された意見。');
    const fresh = await store('索引される前に消える意見。');
    await server.background!.indexNow();
    const gone = await store('索引される前に消える別の意見。');
    await db.deleteFrom('opinions').where('id', 'in', [kept, fresh, gone]).execute();
    expect(await queued()).toEqual([]);
    expect(await found('消える')).toEqual([]);
    const grams = await sql<{ n: number }>`select count(*) as n from opinions_grams where rowid in (${sql.join([kept, fresh, gone])})`.execute(db);
    expect(grams.rows[0].n).toBe(0);
    // The trigram index still agrees with its content table.
    await sql`insert into opinions_fts(opinions_fts, rank) values ('integrity-check', 1)`.execute(db);
  });
});

describe('1–2 character search through the grams index', () => {
  const bodies = [
    '駐車場が足りません。',
    '駐輪場の屋根が壊れています。',
    'バス停の時刻表が見にくい。',
    'ゴミの日を増やしてください、ゴミが多いです。',
    'Wi-Fi を公園に。ABC とabc の違い。',
    '子育て支援センターの予約（電話）が取りにくい。',
    '王さんの店の前の道路。',
  ];
  const terms = ['駐', '駐車', '場', '場の', 'ゴミ', 'ミ', 'Wi', 'wi', 'ab', 'C', '予約', '王', '道路', '（電', '、ゴ', 'Fi'];

  it('finds exactly what reading every row finds', async () => {
    const ids: number[] = [];
    for (const body of bodies) ids.push(await store(body, null));
    await server.background!.indexNow();
    for (const term of terms) {
      const like = await db
        .selectFrom('opinions')
        .select('id')
        .where('id', 'in', ids)
        .where(sql<boolean>`body like ${`%${term}%`}`)
        .execute();
      const viaSearch = (await found(term)).filter((id) => ids.includes(id));
      expect(viaSearch, term).toEqual(like.map((r) => r.id).sort((a, b) => a - b));
    }
  });

  it('makes a document of every character and pair, and knows which terms it can answer', () => {
    expect(searchGrams('駐車場', null, 'XZ-1')).toBe('駐 駐車 車 車場 場 X XZ Z 1');
    expect(isGramTerm('駐')).toBe(true);
    expect(isGramTerm('駐車')).toBe(true);
    expect(isGramTerm('駐車場')).toBe(false);
    expect(isGramTerm('（電')).toBe(false);
    expect(isGramTerm('')).toBe(false);
  });
});
