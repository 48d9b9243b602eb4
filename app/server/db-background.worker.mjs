// The background writer thread (docs/decisions/012-writer-thread.md), with a
// connection of its own. It does the database work no request waits for, so
// that its CPU and its fsyncs never hold the server's event loop:
// - indexes the opinions queued by the opinions_search_* triggers into the
//   trigram and grams indexes, in small transactions, within a second;
// - checkpoints the WAL (the server's write connection never does).
//
// Plain JavaScript on purpose: the Remix compiler bundles app/ into one file,
// and a worker thread needs a file it can load, in the build and in tests.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { searchGrams } from '../utils/search-grams.mjs';

const require = createRequire(import.meta.url);
const SQLite = require('better-sqlite3');

const { file, indexEveryMs = 250, checkpointEveryMs = 1000, indexBatch = 250, walLimitBytes = 64 * 1024 * 1024 } = workerData;

/** How long a TRUNCATE checkpoint may wait for the lock and for readers (writers wait behind it). */
const TRUNCATE_WAIT_MS = 200;

const sqlite = new SQLite(file);
sqlite.pragma('foreign_keys = ON');
// Never wait for the lock: a request may be holding it; try again shortly.
sqlite.pragma('busy_timeout = 0');
// Indexing commits are durable too; a checkpoint syncs the WAL before copying
// and the database file after.
sqlite.pragma('synchronous = FULL');
sqlite.pragma('wal_autocheckpoint = 0');
// A WAL started over in a quiet moment is cut back to this size too.
sqlite.pragma(`journal_size_limit = ${walLimitBytes}`);
const pageSize = Number(sqlite.pragma('page_size', { simple: true }));

// Prepared on first use: on a new database the server migrates after this thread starts.
let statements = null;
function prepared() {
  statements ??= {
    hasQueue: sqlite.prepare('select 1 from opinions_search_queue limit 1').pluck(),
    // The queue first, then a row lookup each: a join may walk all of opinions.
    queued: sqlite.prepare(`select id, body, name, tracking_number from opinions
      where id in (select opinion_id from opinions_search_queue order by opinion_id limit ?)`),
    insertTrigrams: sqlite.prepare(`insert into opinions_fts(rowid, body, name, tracking_number)
      select o.id, o.body, coalesce(o.name, ''), o.tracking_number from opinions o where o.id in (select value from json_each(?))`),
    insertGrams: sqlite.prepare('insert into opinions_grams(rowid, grams) select value ->> 0, value ->> 1 from json_each(?)'),
    dequeue: sqlite.prepare('delete from opinions_search_queue where opinion_id in (select value from json_each(?))'),
    dropOrphans: sqlite.prepare('delete from opinions_search_queue where opinion_id not in (select id from opinions)'),
  };
  return statements;
}
const userVersion = sqlite.prepare('pragma user_version').pluck();
const pause = new Int32Array(new SharedArrayBuffer(4));

const isBusy = (error) => typeof error?.code === 'string' && error.code.startsWith('SQLITE_BUSY');

/** Indexes up to one batch of queued opinions in one transaction; returns how many, or -1 if the lock was busy. */
function indexBatchNow() {
  const { hasQueue, queued, insertTrigrams, insertGrams, dequeue, dropOrphans } = prepared();
  if (!hasQueue.get()) return 0;
  try {
    sqlite.exec('begin immediate');
  } catch (error) {
    if (isBusy(error)) return -1;
    throw error;
  }
  try {
    const rows = queued.all(indexBatch);
    if (rows.length === 0) dropOrphans.run();
    else {
      const ids = JSON.stringify(rows.map((r) => r.id));
      // A queued opinion is in neither index: the triggers that queue an
      // edited one take its old text out of both (migration 2026-12-02-0003).
      // So nothing is deleted here: a delete from the contentless grams index
      // took up to 20 ms of the write lock per batch under a flood of
      // opinions, for rows that were never there.
      insertTrigrams.run(ids);
      insertGrams.run(JSON.stringify(rows.map((r) => [r.id, searchGrams(r.body, r.name, r.tracking_number)])));
      dequeue.run(ids);
    }
    sqlite.exec('commit');
    return rows.length;
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    throw error;
  }
}

/** Rewrites user_version as it is: the first write of a WAL started over, made here. */
function startWalOver() {
  try {
    sqlite.exec('begin immediate');
    sqlite.pragma(`user_version = ${Number(userVersion.get())}`);
    sqlite.exec('commit');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    if (!isBusy(error)) throw error;
  }
}

/**
 * Under a steady stream of writes a PASSIVE checkpoint never reaches the end
 * of the WAL, so the WAL never starts over and its file grows without bound
 * (600 MB after 30 s of ~290 opinions/s). Past walLimitBytes a TRUNCATE
 * checkpoint holds new writers off (they wait on timers, up to 5 s) while it
 * copies the little PASSIVE left, waits for readers still on the WAL, and
 * empties the file. Each wait is bounded by TRUNCATE_WAIT_MS: what it cannot
 * finish then is tried again at the next checkpoint.
 */
function truncate() {
  sqlite.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
  let result;
  try {
    [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    sqlite.pragma('busy_timeout = 0');
  }
  if (result.busy === 0) startWalOver();
  return { ...result, truncated: result.busy === 0 };
}

function checkpoint() {
  // PASSIVE never waits for readers or the writer; what it cannot copy now is
  // copied next time.
  const [result] = sqlite.pragma('wal_checkpoint(PASSIVE)');
  if (result.log * pageSize > walLimitBytes) return truncate();
  if (result.log > 1 && result.checkpointed === result.log) {
    // Everything is copied, so the next write starts the WAL over, and with
    // synchronous=NORMAL the server's connection would sync the new WAL header
    // then, on its event loop. Make that write here instead (user_version
    // rewritten as it is). Skipped when the lock is busy.
    startWalOver();
  }
  return { ...result, truncated: false };
}

const report = (error) => parentPort.postMessage({ error: String(error?.message ?? error) });

let indexTimer;
function indexTick() {
  let delay = indexEveryMs;
  try {
    const n = indexBatchNow();
    // A full batch: more are waiting (after a burst, or the first start after
    // the migration); go on soon, leaving the lock free in between.
    if (n === indexBatch) delay = 5;
    else if (n === -1) delay = 20;
  } catch (error) {
    // Before the first migration the tables are not there yet, and while the
    // server migrates a new database a statement prepared here can meet the
    // schema changing under it (SQLITE_SCHEMA, "vtable constructor failed"):
    // neither is an error; the statements are prepared again at the next tick.
    if (!/no such table/.test(String(error?.message)) && error?.code !== 'SQLITE_SCHEMA') report(error);
  }
  indexTimer = setTimeout(indexTick, delay);
}
indexTimer = setTimeout(indexTick, 0);

const checkpointTimer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    if (!isBusy(error)) report(error);
  }
}, checkpointEveryMs);

parentPort.on('message', (message) => {
  if (message.close) {
    clearTimeout(indexTimer);
    clearInterval(checkpointTimer);
    sqlite.close();
    parentPort.postMessage({ id: message.id, closed: true });
    return;
  }
  try {
    if (message.checkpoint) parentPort.postMessage({ id: message.id, result: checkpoint() });
    if (message.indexNow) {
      let total = 0;
      for (let n; (n = indexBatchNow()) !== 0; ) {
        if (n > 0) total += n;
        else Atomics.wait(pause, 0, 0, 2); // the lock is busy: a request holds it
      }
      parentPort.postMessage({ id: message.id, result: total });
    }
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: String(error?.message ?? error) });
  }
});
