// The database writer thread (see docs/decisions/012-writer-thread.md). It owns
// the one write connection, so that every fsync (synchronous=FULL) and every
// write's CPU happen here and never stall the main thread's event loop.
//
// Plain JavaScript on purpose: the Remix compiler bundles app/ into one file,
// and a worker thread needs a file of its own it can load, in the build and
// in tests alike. It imports nothing of ours; db-writer.server.ts speaks to it.
//
// Protocol: the main thread posts { id, sql, params } and gets back
// { id, rows, changes, lastInsertRowid } or { id, error: { name, message, code } }.
// Statements run in the order they arrive; the main thread makes sure that
// only one transaction at a time sends any.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SQLite = require('better-sqlite3');

const { file } = workerData;

const sqlite = new SQLite(file);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');
// An opinion acknowledged to a citizen must survive a power cut.
sqlite.pragma('synchronous = FULL');

// Kysely prepares every query afresh; statements can be reused. Queries with
// varying IN-lists could grow this without bound, hence the limit.
const cache = new Map();
function prepare(sql) {
  let statement = cache.get(sql);
  if (!statement) {
    if (cache.size >= 500) cache.clear();
    statement = sqlite.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}

function run(sql, params) {
  const statement = prepare(sql);
  if (statement.reader) return { rows: statement.all(params) };
  const { changes, lastInsertRowid } = statement.run(params);
  return { rows: [], changes, lastInsertRowid };
}

parentPort.on('message', (message) => {
  if (message.close) {
    // Closing checkpoints the WAL into the database file.
    try {
      if (sqlite.inTransaction) sqlite.exec('rollback');
      sqlite.close();
    } finally {
      parentPort.postMessage({ id: message.id, rows: [] });
      parentPort.close();
    }
    return;
  }
  let answer;
  try {
    answer = { id: message.id, ...run(message.sql, message.params) };
  } catch (error) {
    // Structured clone keeps an Error's message but not better-sqlite3's code,
    // which the main thread needs (busy → 503, unique violations).
    answer = { id: message.id, error: { name: error?.name ?? 'Error', message: String(error?.message ?? error), code: error?.code } };
  }
  parentPort.postMessage(answer);
});

parentPort.postMessage({ ready: true });
