// Frozen: never edit a migration that has landed; add a new one instead.
// FTS5 merges an index's segments a little at each write once a level holds
// `automerge` of them, and merges a whole level inside one write once it holds
// `crisismerge` (16 by default). Migration 2026-11-27-0003 set the trigram
// index's automerge to 16 too, so its levels went straight to the crisis
// merge: one indexing commit of the background writer then merged level after
// level (30 segments into 1) in 0.75 s, holding the database's write lock, and
// every citizen's post waited for it. A crisis at 64 leaves the merging to the
// small steps; on the bench's data set, 2,100 commits of 100 opinions saw no
// commit over 87 ms (decision 005, amended). The grams index keeps its automerge of 4.
// Both indexes are then merged into one segment each ('optimize'): a bulk
// load (the grams index was made again in one transaction by 2026-12-05-0001)
// leaves big segments on FTS5's first level, and the first merge to take them
// in starved every other merge until a crisis merged them all in one commit,
// 4–9 s at a million opinions; from one segment on the top level the small
// steps keep up. ~11 s at a million (its pages are written once more).
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

const INDEXES = ['opinions_fts', 'opinions_grams'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return; // no FTS5 table there
  for (const index of INDEXES) {
    // FTS5 takes its settings as SQL literals, not bound parameters.
    await sql`insert into ${sql.table(index)}(${sql.raw(index)}, rank) values ('crisismerge', 64)`.execute(db);
    await sql`insert into ${sql.table(index)}(${sql.raw(index)}) values ('optimize')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  for (const index of INDEXES) {
    await sql`insert into ${sql.table(index)}(${sql.raw(index)}, rank) values ('crisismerge', 16)`.execute(db);
  }
}
