// The bench seed's grams index, built beside the rest (bench/seed.ts): the seed
// posts each batch of opinions here as it stores them, and this thread makes
// their grams documents and indexes them into a database file of its own,
// then lifts the index off FTS5's first level as the seed does. The seed copies
// the finished index's tables into the bench database. At a million opinions
// this is a minute of work (the documents ~20 s, FTS5 ~40 s) that the seed's
// own thread no longer waits for.
//
// Plain JavaScript, like app/utils/search-grams.mjs: a worker runs outside tsx.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { searchGrams } from '../app/utils/search-grams.mjs';

/** @type {{ file: string; ddl: string; lift: string[]; hashSize: number; defaultHashSize: number; state: Int32Array }} */
const { file, ddl, lift, hashSize, defaultHashSize, state } = workerData;

let started = 0;

/** Tells the seed's thread, which waits with Atomics.wait: 1 built, 2 failed (and the milliseconds it took). */
function finish(code) {
  Atomics.store(state, 1, started ? Date.now() - started : 0);
  Atomics.store(state, 0, code);
  Atomics.notify(state, 0);
}

try {
  const db = new SQLite(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.exec(ddl);
  db.exec(`insert into opinions_grams(opinions_grams, rank) values('hashsize', ${hashSize})`);
  const insert = db.prepare('insert into opinions_grams(rowid, grams) values (?, ?)');
  db.exec('begin');
  parentPort.on('message', (/** @type {Array<[number, string, string | null, string]> | null} */ batch) => {
    try {
      if (batch) {
        started ||= Date.now();
        for (const [id, body, name, tracking] of batch) insert.run(id, searchGrams(body, name, tracking));
        return;
      }
      for (const statement of lift) db.exec(statement);
      db.exec(`insert into opinions_grams(opinions_grams, rank) values('hashsize', ${defaultHashSize})`);
      db.exec('commit');
      db.close();
      parentPort.close();
      finish(1);
    } catch (error) {
      console.error('seed grams worker:', error);
      finish(2);
      parentPort.close();
    }
  });
} catch (error) {
  console.error('seed grams worker:', error);
  finish(2);
  parentPort.close();
}
