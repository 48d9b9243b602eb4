// Reads an FTS5 index's structure record (row 10 of its %_data table): its
// levels and the segments on each, as fts5_index.c writes it (SQLite varints,
// the V2 form carrying five more numbers per segment).
import type SQLite from 'better-sqlite3';

export type FtsSegment = { id: number; pages: number };

function varint(b: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let k = 0; k < 9; k++) {
    const byte = b[at + k];
    if (k === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return [value, at + k + 1];
  }
  throw new Error('unreachable');
}

/** The segments of each level, level 0 first. */
export function ftsLevels(sqlite: SQLite.Database, index: 'opinions_fts' | 'opinions_grams'): FtsSegment[][] {
  const { block } = sqlite.prepare(`select block from ${index}_data where id = 10`).get() as { block: Uint8Array };
  let at = 4; // the cookie
  const v2 = block[4] === 0xff && block[5] === 0 && block[6] === 0 && block[7] === 1;
  if (v2) at += 4;
  let levels: number, count: number;
  [levels, at] = varint(block, at);
  [, at] = varint(block, at); // segments in all
  [, at] = varint(block, at); // write counter
  const result: FtsSegment[][] = [];
  for (let level = 0; level < levels; level++) {
    [, at] = varint(block, at); // segments being merged
    [count, at] = varint(block, at);
    const segments: FtsSegment[] = [];
    for (let s = 0; s < count; s++) {
      let id: number, first: number, last: number;
      [id, at] = varint(block, at);
      [first, at] = varint(block, at);
      [last, at] = varint(block, at);
      if (v2) for (let extra = 0; extra < 5; extra++) [, at] = varint(block, at);
      segments.push({ id, pages: last - first + 1 });
    }
    result.push(segments);
  }
  return result;
}
