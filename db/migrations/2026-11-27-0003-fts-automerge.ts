// Frozen: never edit a migration that has landed; add a new one instead.
// FTS5 writes a new index segment at every commit and merges segments as it
// goes; with the default (merge every 4 segments) that merging was the largest
// cost of storing an opinion at 100,000 rows. Merging 16 at a time roughly
// halves it; searches read a few more segments.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return; // no FTS5 table there
  await sql`insert into opinions_fts(opinions_fts, rank) values ('automerge', 16)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`insert into opinions_fts(opinions_fts, rank) values ('automerge', 4)`.execute(db);
}
