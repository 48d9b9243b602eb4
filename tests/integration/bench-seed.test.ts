// The bench's seed (bench/seed.ts) sets the opinions' triggers aside and
// builds what they keep in bulk. What it builds must be what the triggers would
// have kept, or the bench measures pages against tables no real database has:
// each kept table equals a count of the opinions, nothing is left queued, the
// triggers are back, and the search indexes are one segment each. The grams
// index is built by a worker thread in a file of its own and copied in: it must
// be the index FTS5 would have built here, table for table.
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../bench/seed';
import { toLocalDay } from '~/utils/local-time';
import { isGramTerm, searchGrams } from '~/utils/search-grams.mjs';
import { createTestDb, type TestDb } from '../helpers/db';

let t: TestDb;
let triggersBefore: string[];

const triggers = () =>
  (t.sqlite.prepare(`select name from sqlite_master where type = 'trigger' and tbl_name = 'opinions' order by name`).pluck().all() as string[]);

beforeAll(async () => {
  t = await createTestDb();
  triggersBefore = triggers();
  seedDatabase(t.sqlite, { opinions: 3000, replies: 200 });
});
afterAll(async () => {
  await t.close();
});

/** Rows as sorted "a b n" lines, zero counts left out. */
const lines = (rows: Array<Record<string, unknown>>, keys: string[]) =>
  rows.filter((r) => Number(r.n) !== 0).map((r) => [...keys.map((k) => String(r[k])), Number(r.n)].join(' ')).sort();

function recount(keyOf: (o: Record<string, unknown>) => string): string[] {
  const counts = new Map<string, number>();
  for (const o of t.sqlite.prepare('select * from opinions').all() as Array<Record<string, unknown>>) {
    const key = keyOf(o);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} ${n}`).sort();
}

describe('the bench seed', () => {
  it('stores the opinions asked for and puts the triggers back', () => {
    expect(t.sqlite.prepare('select count(*) from opinions').pluck().get()).toBe(3000);
    expect(triggers()).toEqual(triggersBefore);
    expect(triggersBefore).toContain('opinion_day_counts_ai');
  });

  it('leaves every kept count equal to a count of the opinions', async () => {
    const all = (table: string) => t.sqlite.prepare(`select * from ${table}`).all() as Array<Record<string, unknown>>;
    expect(lines(all('opinion_counts'), ['status', 'due_day'])).toEqual(recount((o) => `${o.status} ${String(o.due_at).slice(0, 10)}`));
    expect(lines(all('opinion_section_counts'), ['report_id', 'section_number'])).toEqual(recount((o) => `${o.report_id} ${o.section_number}`));
    expect(lines(all('opinion_day_counts'), ['day', 'channel'])).toEqual(recount((o) => `${toLocalDay(String(o.received_at))} ${o.channel}`));
  });

  it('leaves nothing queued and each search index in one segment that finds the opinions', async () => {
    expect(t.sqlite.prepare('select count(*) from opinions_search_queue').pluck().get()).toBe(0);
    for (const index of ['opinions_fts', 'opinions_grams']) {
      expect(t.sqlite.prepare(`select count(distinct segid) from ${index}_idx`).pluck().get(), index).toBe(1);
    }
    const sample = t.sqlite.prepare('select id, tracking_number from opinions order by id desc limit 1').get() as { id: number; tracking_number: string };
    const { rows } = await sql<{ rowid: number }>`select rowid from opinions_fts where opinions_fts match ${`"${sample.tracking_number}"`}`.execute(t.db);
    expect(rows.map((r) => r.rowid)).toEqual([sample.id]);
  });

  it('copies in a grams index that holds every opinion\'s grams, as FTS5 would have built it here', () => {
    // FTS5's own check of the copied index's structure and terms.
    t.sqlite.exec(`insert into opinions_grams(opinions_grams, rank) values('integrity-check', 0)`);
    // The same documents indexed afresh in this process: the same terms in the same opinions.
    const ddl = t.sqlite.prepare(`select sql from sqlite_master where name = 'opinions_grams'`).pluck().get() as string;
    const fresh = new SQLite(':memory:');
    fresh.exec(ddl);
    const insert = fresh.prepare('insert into opinions_grams(rowid, grams) values (?, ?)');
    const rows = t.sqlite.prepare('select id, body, name, tracking_number from opinions').raw().all() as Array<[number, string, string | null, string]>;
    fresh.transaction(() => {
      for (const [id, body, name, tracking] of rows) insert.run(id, searchGrams(body, name, tracking));
    })();
    const vocabulary = (db: SQLite.Database) => {
      db.exec(`create virtual table if not exists temp.grams_vocab using fts5vocab(main, opinions_grams, 'row')`);
      return db.prepare('select term, doc from temp.grams_vocab order by term').raw().all();
    };
    const expected = vocabulary(fresh);
    fresh.close();
    expect(expected.length).toBeGreaterThan(500);
    expect(vocabulary(t.sqlite)).toEqual(expected);
    // And a search through it finds what the text holds.
    const sample = rows[rows.length - 1];
    const chars = [...sample[1]];
    const term = chars.map((c, i) => c + (chars[i + 1] ?? '')).find(isGramTerm)!;
    const found = t.sqlite.prepare('select rowid from opinions_grams where opinions_grams match ?').pluck().all(`"${term}"`) as number[];
    expect(found).toEqual(rows.filter(([, body, name, tracking]) => [body, name ?? '', tracking].some((f) => f.includes(term))).map(([id]) => id));
    // The worker's file is no longer attached.
    expect(t.sqlite.prepare('pragma database_list').all().map((d) => (d as { name: string }).name)).not.toContain('seed_grams');
  });
});
