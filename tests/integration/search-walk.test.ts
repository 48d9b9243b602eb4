// A search whose matches are dense walks the inbox's order reading each
// opinion's text (decision 013, walkable): the same rows in the same order as
// materialising every match from the trigram or the grams index, also when the
// newest opinions hold none and the walk gives up. The walk reads the text as
// it is only for caseless terms: FTS5 folds no character to or from one of
// those, and its unicode61 tokenizer (the grams index) keeps each such letter
// as it is, but for the few letters its older Unicode tables read as separators.
import { sql } from 'kysely';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOpinions } from '~/models/inbox.server';
import { caseless, NOT_FTS5_LETTERS, planSearch, walkable, type SearchPlan } from '~/models/inbox-search.server';
import { INBOX_PAGE_SIZE } from '~/schemas/inbox-filters';
import { openServerDatabase, type DB } from '~/server/db.server';
import { createTestDb } from '../helpers/db';

let t: Awaited<ReturnType<typeof createTestDb>>;
let server: ReturnType<typeof openServerDatabase>;
let db: DB;

const NOW = '2026-12-01T00:00:00.000Z';
const PHRASE = '困っています';

beforeAll(async () => {
  t = await createTestDb();
  server = openServerDatabase(t.file);
  db = server.db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  // 2,100 older opinions, five in six with the phrase (ids and times interleaved
  // unevenly, as staff record phone opinions late), then 2,500 newer without it.
  const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1) + minutes * 60_000).toISOString();
  const rows = Array.from({ length: 4_600 }, (_, i) => {
    const old = i < 2_100;
    const minutes = old ? (i * 7919) % 2_100 : 10_000 + i;
    return {
      tracking_number: `SW-${String(i).padStart(5, '0')}`,
      receipt_token: `search-walk-receipt-${i}-abcdefgh`,
      report_id: reportId,
      section_number: i % 4,
      body: old && i % 6 !== 0 ? `駐車場が${i % 2 ? '足りなくて' : ''}${PHRASE}。` : `歩道の段差が危ないです(${i})。`,
      name: null,
      channel: 'web' as const,
      status: i % 3 ? ('new' as const) : ('triaged' as const),
      received_at: at(minutes),
      due_at: at(minutes),
      created_at: at(minutes),
      updated_at: at(minutes),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('opinions').values(rows.slice(i, i + 500)).execute();
  while ((await server.background!.indexNow()) > 0);
});
afterAll(async () => {
  await db.destroy();
  await t.close();
});

/** Every page of a search, as the inbox lists it. */
async function pages(q: string, status?: 'new') {
  const ids: number[] = [];
  for (let page = 1; ; page++) {
    const p = await listOpinions(db, { q, status, page }, NOW);
    ids.push(...p.rows.map((r) => r.id));
    if (!p.hasNext) return ids;
  }
}

/** The same read from every row: the text holds the term, newest first. */
async function everyRow(term: string, status?: 'new') {
  let q = db
    .selectFrom('opinions')
    .select('id')
    .where(sql<boolean>`instr(body, ${term}) > 0`)
    .orderBy('received_at', 'desc')
    .orderBy('id', 'desc');
  if (status) q = q.where('status', '=', status);
  return (await q.execute()).map((r) => r.id);
}

describe('a dense search walks the inbox', () => {
  it('walks for a dense caseless phrase, and lists what reading every row lists', async () => {
    const plan = await planSearch(db, PHRASE);
    expect(plan.parts[0].matches).toBeGreaterThan(1_500);
    expect(walkable(plan, INBOX_PAGE_SIZE + 1)).toBe(true);
    // The newest 2,500 hold none: the walk gives up and the matches are materialised.
    expect(await pages(PHRASE)).toEqual(await everyRow(PHRASE));
    expect(await pages(PHRASE, 'new')).toEqual(await everyRow(PHRASE, 'new'));
  });

  it('walks when the newest opinions hold the phrase too', async () => {
    await db
      .updateTable('opinions')
      .set({ body: sql`body || ${PHRASE}` })
      .where('id', 'in', sql<number>`(select id from opinions where received_at > ${'2026-06-08'} and id % 4 = 0)`)
      .execute();
    while ((await server.background!.indexNow()) > 0);
    const first = await listOpinions(db, { q: PHRASE }, NOW);
    expect(first.rows.map((r) => r.id)).toEqual((await everyRow(PHRASE)).slice(0, INBOX_PAGE_SIZE));
    expect(first.rows[0].highlights.body.some((p) => p.match && p.text === PHRASE)).toBe(true);
    expect(await pages(PHRASE)).toEqual(await everyRow(PHRASE));
    // A second term narrows it as the index would.
    const both = new Set(await everyRow('足りなくて'));
    expect(await pages(`${PHRASE} 足りなくて`)).toEqual((await everyRow(PHRASE)).filter((id) => both.has(id)));
  });

  it('walks for a dense caseless term of one or two characters (the grams index), and lists what reading every row lists', async () => {
    // 困 and 困っ are in five in six of the older opinions (and, after the test above, in a quarter of the newest).
    for (const term of ['困', '困っ']) {
      const plan = await planSearch(db, term);
      expect(plan.parts[0].index).toBe('opinions_grams');
      expect(plan.parts[0].matches).toBeGreaterThan(1_500);
      expect(walkable(plan, INBOX_PAGE_SIZE + 1)).toBe(true);
      expect(await pages(term)).toEqual(await everyRow(term));
      expect(await pages(term, 'new')).toEqual(await everyRow(term, 'new'));
    }
    // Two gram terms narrow it as the index would.
    const both = new Set(await everyRow('足'));
    expect(await pages('困 足')).toEqual((await everyRow('困')).filter((id) => both.has(id)));
  });

  it('walks a grams term only when its matches are many against the opinions to read', () => {
    const plan = (lastId: number, terms = ['橋']): SearchPlan => ({
      parts: [{ index: 'opinions_grams', match: '"橋"', terms, matches: 2_001, lastId, maxId: 1_000_000 }],
      unindexed: [],
    });
    // 51 matches expected within 1,275 of the newest, of ~40,000 in all: walked.
    expect(walkable(plan(50_000), INBOX_PAGE_SIZE + 1)).toBe(true);
    // Within ~3,100, of ~17,000 in all: looking the matches up is cheaper.
    expect(walkable(plan(121_000), INBOX_PAGE_SIZE + 1)).toBe(false);
    // A letter FTS5 reads as a separator: the gram is not what the index looked up.
    expect(walkable(plan(50_000, ['王\u19B0']), INBOX_PAGE_SIZE + 1)).toBe(false);
  });

  it('never walks for terms whose case FTS5 folds', async () => {
    const plan = await planSearch(db, 'SW-0');
    expect(walkable(plan, INBOX_PAGE_SIZE + 1)).toBe(false);
  });

  it('FTS5 folds no code point to or from a caseless one', () => {
    const mem = new SQLite(':memory:');
    mem.exec(`create virtual table t using fts5(a, tokenize='trigram'); create virtual table v using fts5vocab(t, 'instance');`);
    const insert = mem.prepare('insert into t(rowid, a) values (?, ?)');
    mem.transaction(() => {
      for (let c = 1; c <= 0x10ffff; c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        const s = String.fromCodePoint(c);
        insert.run(c, s + s + s);
      }
    })();
    const wrong: string[] = [];
    for (const { term, doc } of mem.prepare('select term, doc from v').iterate() as Iterable<{ term: string; doc: number }>) {
      const from = String.fromCodePoint(doc);
      const to = [...term][0];
      if (to !== from && (caseless(from) || caseless(to))) wrong.push(`U+${doc.toString(16)} → U+${to.codePointAt(0)!.toString(16)}`);
    }
    mem.close();
    expect(wrong).toEqual([]);
  });

  it('unicode61 (the grams index) keeps every caseless letter as it is, but those it reads as separators', () => {
    const mem = new SQLite(':memory:');
    mem.exec(`create virtual table t using fts5(a, tokenize='unicode61 remove_diacritics 0'); create virtual table v using fts5vocab(t, 'instance');`);
    const insert = mem.prepare('insert into t(rowid, a) values (?, ?)');
    // What searchGrams keeps in a gram: letters, numbers, private use.
    const gramChar = /^[\p{L}\p{N}\p{Co}]$/u;
    mem.transaction(() => {
      for (let c = 1; c <= 0x10ffff; c++) {
        if (c >= 0xd800 && c <= 0xdfff) continue;
        const s = String.fromCodePoint(c);
        if (gramChar.test(s)) insert.run(c, s);
      }
    })();
    const token = new Map<number, string>();
    for (const { term, doc } of mem.prepare('select term, doc from v').iterate() as Iterable<{ term: string; doc: number }>) token.set(doc, term);
    mem.close();
    const wrong: string[] = [];
    const separators: string[] = [];
    for (let c = 1; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const from = String.fromCodePoint(c);
      if (!gramChar.test(from)) continue;
      const to = token.get(c);
      if (to === undefined) separators.push(from);
      else if (to !== from && (caseless(from) || caseless(to))) wrong.push(`U+${c.toString(16)} → U+${to.codePointAt(0)!.toString(16)}`);
    }
    expect(wrong).toEqual([]);
    expect(separators.length).toBeGreaterThan(0);
    expect(separators.filter((c) => !NOT_FTS5_LETTERS.test(c))).toEqual([]);
    // And the pattern names no letter the tokenizer keeps.
    for (let c = 0x1900; c <= 0x1cff; c++) {
      const s = String.fromCodePoint(c);
      if (NOT_FTS5_LETTERS.test(s)) expect(separators).toContain(s);
    }
  });
});
