// Frozen: never edit a migration that has landed; add a new one instead.
// Lifts each search index's big segment off level 0 (db/search-index-levels.ts,
// decision 005): migrations 2026-12-02-0003 and 2026-12-05-0001 rebuilt the
// indexes in one piece, and 2026-12-06-0001's 'optimize' left that one segment
// on level 0 of an index that had no other level, where the first automatic
// merge under a flood of opinions took it in and never finished until a crisis
// merge of everything held the write lock for about a second.
// ~1.3 s with 100,000 opinions, ~13 s with a million.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect';
import { searchIndexLiftStatements } from '../search-index-levels';

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return; // no FTS5 table there
  for (const statement of searchIndexLiftStatements()) await sql.raw(statement).execute(db);
}

export async function down(): Promise<void> {
  // Only where segments sit changed; nothing to give back.
}
