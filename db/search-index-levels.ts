// Where the big segment of each search index sits (decision 005, eighteenth
// session). FTS5 keeps an index as segments on levels: every write adds a small
// segment on level 0, and a level holding `automerge` segments is merged into
// one on the level above, a little at each write, in proportion to the pages
// the write added times the number of levels. A bulk load (the bench's seed, the
// rebuilds of migrations 2026-12-02-0003 and 2026-12-05-0001) followed by an
// 'optimize' leaves one big segment — and when the index has only one level, it
// is on level 0. The first automatic merge there takes it in, and under a flood
// of opinions that merge never finishes: the big segment is thousands of pages,
// each indexing commit pays for a few dozen. Level 0 then fills up to
// crisismerge (64) and one commit merges everything in it, 0.9–1.6 s with the
// bench's 100,000 opinions, holding the write lock every post waits for.
//
// 'optimize' merges every segment into one on a new level above the highest.
// A stand-in row added first gives it a second segment to merge; taking the
// stand-in out again and optimizing once more lifts the index further and
// leaves no trace of it. One lift puts the trigram index (automerge 16) on
// level 3, which a flood fills only after 15 × 16³ indexing commits; the grams
// index merges every 4 segments, so it is lifted twice, to level 5 (3 × 4⁵
// commits, some 13 minutes of an unbroken flood at four commits a second).
// Each lift rewrites the index twice (~0.7 s per rewrite of the trigram index,
// ~0.4 s of the grams index at 100,000 opinions).

/** A rowid no opinion has (opinions count up from 1). */
const STAND_IN = -1;

const lift: Record<'opinions_fts' | 'opinions_grams', { add: string; remove: string; times: number }> = {
  // External content: FTS5 is told the indexed values to take them out again.
  opinions_fts: {
    add: `insert into opinions_fts(rowid, body, name, tracking_number) values (${STAND_IN}, 'lift', '', '')`,
    remove: `insert into opinions_fts(opinions_fts, rowid, body, name, tracking_number) values ('delete', ${STAND_IN}, 'lift', '', '')`,
    times: 1,
  },
  // Contentless with contentless_delete=1: a plain DELETE.
  opinions_grams: {
    add: `insert into opinions_grams(rowid, grams) values (${STAND_IN}, 'lift')`,
    remove: `delete from opinions_grams where rowid = ${STAND_IN}`,
    times: 2,
  },
};

export type SearchIndex = keyof typeof lift;

/** The SQLite statements that lift the search indexes (both by default), in order (run them in one transaction). */
export function searchIndexLiftStatements(indexes: readonly SearchIndex[] = ['opinions_fts', 'opinions_grams']): string[] {
  return indexes.flatMap((index) => {
    const { add, remove, times } = lift[index];
    const optimize = `insert into ${index}(${index}) values ('optimize')`;
    return Array.from({ length: times }, () => [add, optimize, remove, optimize]).flat();
  });
}
