// The checkpointer thread (docs/decisions/012-writer-thread.md). The server's
// write connection never checkpoints (wal_autocheckpoint = 0): copying the WAL
// into the database file, and the fsyncs that go with it, happen here on a
// connection of this thread's own, so that they never stall the event loop.
//
// Plain JavaScript on purpose: the Remix compiler bundles app/ into one file,
// and a worker thread needs a file it can load, in the build and in tests.
// It imports nothing of ours.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const SQLite = require('better-sqlite3');

const { file, everyMs } = workerData;

const sqlite = new SQLite(file);
// Never wait: a checkpoint that cannot run now runs at the next tick.
sqlite.pragma('busy_timeout = 0');
// The WAL is synced before its pages are copied, the database file after.
sqlite.pragma('synchronous = FULL');
sqlite.pragma('wal_autocheckpoint = 0');
const restart = sqlite.prepare('pragma user_version');

function checkpoint() {
  // PASSIVE never waits for readers or the writer; what it cannot copy now is
  // copied next time.
  const [result] = sqlite.pragma('wal_checkpoint(PASSIVE)');
  if (result.log > 1 && result.checkpointed === result.log) {
    // Everything is copied, so the next write starts the WAL over, and with
    // synchronous=NORMAL SQLite syncs the new WAL header then. Make that write
    // here (rewriting user_version as it is), so the sync happens on this
    // thread and not on the server's event loop. Skipped if the lock is busy.
    try {
      sqlite.exec('begin immediate');
      sqlite.pragma(`user_version = ${Number(restart.pluck().get())}`);
      sqlite.exec('commit');
    } catch {
      if (sqlite.inTransaction) sqlite.exec('rollback');
    }
  }
  return result;
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (error) {
    if (error?.code !== 'SQLITE_BUSY') parentPort.postMessage({ error: String(error?.message ?? error) });
  }
}, everyMs);

parentPort.on('message', (message) => {
  if (!message.checkpoint) return;
  try {
    parentPort.postMessage({ checkpointed: checkpoint() });
  } catch (error) {
    parentPort.postMessage({ error: String(error?.message ?? error) });
  }
});
void timer;
