// Migration 2026-12-06-0001-fts-crisismerge: both search indexes merge whole
// levels inside one write only at 64 segments (FTS5's default is 16, which the
// trigram index's automerge of 16 reached at once), each index is merged into
// one segment, the indexes still answer, and going down gives FTS5's default back.
import fs from 'node:fs';
import path from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationProvider } from '../../db/migrations/index';
import { openSqliteDatabase } from '~/server/db.server';
import { tempDir } from '../helpers/db';

const file = path.join(tempDir(), 'fts-merge-migration.db');
const opened = openSqliteDatabase(file);
const db = opened.db;
const migrator = new Migrator({ db, provider: migrationProvider });
afterAll(async () => {
  await db.destroy();
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
});

/** An index's stored settings (FTS5 keeps only those set). */
async function settings(index: 'opinions_fts' | 'opinions_grams'): Promise<Record<string, number>> {
  const { rows } = await sql<{ k: string; v: number }>`select k, v from ${sql.table(`${index}_config`)}`.execute(db);
  return Object.fromEntries(rows.filter((r) => r.k !== 'version').map((r) => [r.k, Number(r.v)]));
}

async function segments(index: 'opinions_fts' | 'opinions_grams'): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(distinct segid) as n from ${sql.table(`${index}_idx`)}`.execute(db);
  return Number(rows[0].n);
}

async function matches(index: 'opinions_fts' | 'opinions_grams', query: string): Promise<number[]> {
  const { rows } = await sql<{ rowid: number }>`select rowid from ${sql.table(index)} where ${sql.table(index)} match ${query} order by rowid`.execute(db);
  return rows.map((r) => r.rowid);
}

describe('migration 2026-12-06-0001-fts-crisismerge', () => {
  it('sets crisismerge to 64 on both indexes, leaves automerge as it was, and merges each index into one segment', async () => {
    expect((await migrator.migrateTo('2026-12-05-0002-opinion-tally-indexes')).error).toBeUndefined();
    expect(await settings('opinions_fts')).toEqual({ automerge: 16 });
    expect(await settings('opinions_grams')).toEqual({});
    // Each commit writes a segment of its own (fewer than automerge: none merged yet).
    for (let i = 1; i <= 6; i++) {
      opened.sqlite.transaction(() => {
        opened.sqlite.prepare('insert into opinions_fts(rowid, body, name, tracking_number) values (?, ?, ?, ?)').run(1000 + i, '移行前の索引の行', '', `FM-OLD-${i}`);
        opened.sqlite.prepare('insert into opinions_grams(rowid, grams) values (?, ?)').run(1000 + i, '移 行');
      })();
    }
    expect(await segments('opinions_fts')).toBe(6);
    expect(await segments('opinions_grams')).toBe(6);

    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await settings('opinions_fts')).toEqual({ automerge: 16, crisismerge: 64 });
    expect(await settings('opinions_grams')).toEqual({ crisismerge: 64 });
    expect(await segments('opinions_fts')).toBe(1);
    expect(await segments('opinions_grams')).toBe(1);
    expect(await matches('opinions_fts', '"移行前"')).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
    expect(await matches('opinions_grams', '"移"')).toEqual([1001, 1002, 1003, 1004, 1005, 1006]);
  });

  it('leaves indexes that take rows and answer, commit after commit', async () => {
    const sqlite = opened.sqlite;
    const trigrams = sqlite.prepare('insert into opinions_fts(rowid, body, name, tracking_number) values (?, ?, ?, ?)');
    const grams = sqlite.prepare('insert into opinions_grams(rowid, grams) values (?, ?)');
    // More commits than the old crisis level: each commit writes one segment.
    for (let i = 1; i <= 40; i++) {
      sqlite.transaction(() => {
        trigrams.run(i, i % 2 ? '堤防の草刈りをお願いします' : '公民館の鍵が壊れています', '', `FM-${i}`);
        grams.run(i, i % 2 ? '堤 防 堤防' : '鍵');
      })();
    }
    const odd = Array.from({ length: 20 }, (_, k) => 2 * k + 1);
    const even = odd.map((n) => n + 1);
    expect(await matches('opinions_fts', '"草刈り"')).toEqual(odd);
    expect(await matches('opinions_grams', '"鍵"')).toEqual(even);
    await sql`insert into opinions_fts(opinions_fts, rank) values ('integrity-check', 0)`.execute(db);
    await sql`insert into opinions_grams(opinions_grams, rank) values ('integrity-check', 0)`.execute(db);
  });

  it('goes down to FTS5\'s default', async () => {
    expect((await migrator.migrateTo('2026-12-05-0002-opinion-tally-indexes')).error).toBeUndefined();
    expect(await settings('opinions_fts')).toEqual({ automerge: 16, crisismerge: 16 });
    expect(await settings('opinions_grams')).toEqual({ crisismerge: 16 });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });
});
