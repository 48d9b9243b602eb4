// Migration 2026-12-07-0001-search-index-levels (db/search-index-levels.ts): an
// index loaded in one piece has its one big segment on level 0, where a flood
// of small indexing commits ends in a crisis merge that rewrites it inside one
// commit. Lifted, the big segment stays where it is while the small segments
// merge among themselves, and every row is still found.
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { openSqliteDatabase } from '~/server/db.server';
import { tempDir } from '../helpers/db';
import { ftsLevels, type FtsSegment } from '../helpers/fts-structure';

const file = path.join(tempDir(), 'search-index-levels.db');
const { db, sqlite } = openSqliteDatabase(file);
const migrator = new Migrator({ db, provider: migrationProvider });
afterAll(async () => {
  await db.destroy();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

const BULK = 3_000;
const trigrams = () => sqlite.prepare('insert into opinions_fts(rowid, body, name, tracking_number) values (?, ?, ?, ?)');
const grams = () => sqlite.prepare('insert into opinions_grams(rowid, grams) values (?, ?)');
const text = (i: number) => (i % 3 ? `街灯の修理をお願いします ${i}` : `歩道の段差が危ない ${i}`);

async function matches(index: 'opinions_fts' | 'opinions_grams', query: string): Promise<number[]> {
  const { rows } = await sql<{ rowid: number }>`select rowid from ${sql.table(index)} where ${sql.table(index)} match ${query} order by rowid`.execute(db);
  return rows.map((r) => r.rowid);
}

/** The level holding the index's biggest segment, and that segment. */
function biggest(index: 'opinions_fts' | 'opinions_grams'): { level: number; segment: FtsSegment } {
  let found = { level: -1, segment: { id: 0, pages: 0 } };
  ftsLevels(sqlite, index).forEach((segments, level) => {
    for (const segment of segments) if (segment.pages > found.segment.pages) found = { level, segment };
  });
  return found;
}

const every = (from: number, to: number, keep: (i: number) => boolean) => Array.from({ length: to - from + 1 }, (_, k) => from + k).filter(keep);

describe('migration 2026-12-07-0001-search-index-levels', () => {
  it('lifts a bulk-loaded index off level 0 and leaves every row found, and no stand-in', async () => {
    expect((await migrator.migrateTo('2026-12-06-0002-opinion-day-counts')).error).toBeUndefined();
    // One transaction, as a rebuild or the bench's seed writes it, then the 'optimize' of 2026-12-06-0001.
    sqlite.transaction(() => {
      const t = trigrams();
      const g = grams();
      for (let i = 1; i <= BULK; i++) {
        t.run(i, text(i), '', `SL-${i}`);
        g.run(i, i % 3 ? '街 灯 街灯' : '段 差 段差');
      }
    })();
    for (const index of ['opinions_fts', 'opinions_grams']) sqlite.exec(`insert into ${index}(${index}) values ('optimize')`);
    expect(ftsLevels(sqlite, 'opinions_fts').map((l) => l.length)).toEqual([1]);
    expect(ftsLevels(sqlite, 'opinions_grams').map((l) => l.length)).toEqual([1]);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(ftsLevels(sqlite, 'opinions_fts').map((l) => l.length)).toEqual([0, 0, 0, 1]);
    expect(ftsLevels(sqlite, 'opinions_grams').map((l) => l.length)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(await matches('opinions_fts', '"段差が"')).toEqual(every(1, BULK, (i) => i % 3 === 0));
    expect(await matches('opinions_grams', '"街灯"')).toEqual(every(1, BULK, (i) => i % 3 !== 0));
    expect(await matches('opinions_fts', '"lift"')).toEqual([]);
    expect(await matches('opinions_grams', '"lift"')).toEqual([]);
    await sql`insert into opinions_fts(opinions_fts, rank) values ('integrity-check', 0)`.execute(db);
    await sql`insert into opinions_grams(opinions_grams, rank) values ('integrity-check', 0)`.execute(db);
  });

  it('keeps the big segment out of the merges of more small commits than a crisis merge waits for', () => {
    const before = { fts: biggest('opinions_fts'), grams: biggest('opinions_grams') };
    const t = trigrams();
    const g = grams();
    // One row per commit, as the background writer indexes a trickle: 80 > crisismerge (64).
    for (let i = BULK + 1; i <= BULK + 80; i++) {
      sqlite.transaction(() => {
        t.run(i, text(i), '', `SL-${i}`);
        g.run(i, i % 3 ? '街 灯 街灯' : '段 差 段差');
      })();
    }
    expect(biggest('opinions_fts')).toEqual(before.fts);
    expect(biggest('opinions_grams')).toEqual(before.grams);
    // The small segments were merged among themselves: far fewer than 80 remain.
    const small = (index: 'opinions_fts' | 'opinions_grams') => ftsLevels(sqlite, index).flat().length - 1;
    expect(small('opinions_fts')).toBeLessThan(40);
    expect(small('opinions_grams')).toBeLessThan(40);
  });

  it('finds the rows of the small commits with those of the big segment', async () => {
    expect(await matches('opinions_fts', '"段差が"')).toEqual(every(1, BULK + 80, (i) => i % 3 === 0));
    expect(await matches('opinions_grams', '"街灯"')).toEqual(every(1, BULK + 80, (i) => i % 3 !== 0));
    await sql`insert into opinions_fts(opinions_fts, rank) values ('integrity-check', 0)`.execute(db);
    await sql`insert into opinions_grams(opinions_grams, rank) values ('integrity-check', 0)`.execute(db);
  });
});
