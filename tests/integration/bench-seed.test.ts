// The bench's seed (bench/seed.ts) sets the opinions' triggers aside and
// builds what they keep in bulk. What it builds must be what the triggers would
// have kept, or the bench measures pages against tables no real database has:
// each kept table equals a count of the opinions, nothing is left queued, the
// triggers are back, and the search indexes are one segment each.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDatabase } from '../../bench/seed';
import { toLocalDay } from '~/utils/local-time';
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
});
