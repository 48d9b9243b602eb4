// Group commit. With synchronous=FULL every COMMIT waits for the disk, and on
// a shared disk that wait, not our code, bounds how many opinions a second we
// can take. Writes that arrive together therefore share one transaction: each
// runs in its own SAVEPOINT (one failing write is rolled back alone and only
// its caller sees the error), and every caller's promise settles only after
// the COMMIT that holds its write is on disk. Batches run one after another,
// so the next batch gathers whatever arrived while the disk was busy with this
// one. On the server's database the disk wait is an fsync in the thread pool
// (db-writer.server.ts): reads and other work go on meanwhile.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { DB } from './db.server';

export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

type Job = { work: WriteWork<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Enough to amortise a commit; small enough that one batch holds the lock briefly. */
const MAX_BATCH = 64;

class WriteQueue {
  private pending: Job[] = [];
  private draining = false;

  constructor(private readonly db: DB) {}

  run<T>(work: WriteWork<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      // One turn of the event loop lets requests that arrived together join.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        await this.commitBatch(batch);
      }
    } finally {
      this.draining = false;
    }
  }

  private async commitBatch(batch: Job[]): Promise<void> {
    const outcomes: Outcome[] = [];
    const runJobs = () =>
      this.db.transaction().execute(async (trx) => {
        for (const [i, job] of batch.entries()) {
          // A write's statements run back to back as microtasks; a turn of
          // the event loop between writes lets reads (on their own
          // connection) be answered meanwhile instead of after the batch.
          if (i > 0) await new Promise((resolve) => setImmediate(resolve));
          await sql`savepoint write_queue_job`.execute(trx);
          try {
            const value = await job.work(trx);
            await sql`release savepoint write_queue_job`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint write_queue_job`.execute(trx);
            await sql`release savepoint write_queue_job`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    try {
      // Resolves once the COMMIT is on disk; the write lock is free from the
      // COMMIT on, and the next batch starts after this sync so that it
      // gathers every opinion that arrives meanwhile (fewer, larger commits).
      await runJobs();
    } catch (error) {
      // BEGIN, COMMIT or the sync failed (e.g. SQLITE_BUSY after the lock
      // wait): nothing of this batch is known to be stored, and every caller
      // learns so.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}

const queues = new WeakMap<DB, WriteQueue>();

/**
 * Runs `work` inside a transaction shared with other writes queued at the same
 * time; resolves with its result once that transaction has committed, or
 * rejects with its own error (its writes rolled back, the others kept).
 */
export function runQueuedWrite<T>(db: DB, work: WriteWork<T>): Promise<T> {
  let queue = queues.get(db);
  if (!queue) queues.set(db, (queue = new WriteQueue(db)));
  return queue.run(work);
}
