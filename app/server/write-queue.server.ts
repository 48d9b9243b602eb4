// Group commit. With synchronous=FULL every COMMIT waits for the disk, and on
// a shared disk that wait, not our code, bounds how many opinions a second we
// can take. Writes that arrive together therefore share one transaction: each
// runs in its own SAVEPOINT (one failing write is rolled back alone and only
// its caller sees the error), and every caller's promise settles only after
// the COMMIT that holds its write is on disk. On the server's SQLite database
// the disk wait is an fsync in the thread pool (db-writer.server.ts), and the
// next batch is stored while it runs; on PostgreSQL batches run one after
// another, so the next gathers whatever arrived while the disk was busy.
import { CompiledQuery, type Transaction } from 'kysely';
import type { Database } from '../../db/schema';
import type { DB } from './db.server';
import { isPostgres } from '../../db/dialect';

export type WriteWork<T> = (trx: Transaction<Database>) => Promise<T>;

// Three statements around every write, compiled once.
const SAVEPOINT = CompiledQuery.raw('savepoint write_queue_job');
const RELEASE = CompiledQuery.raw('release savepoint write_queue_job');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint write_queue_job');

type Job = { work: WriteWork<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Writes per batch on SQLite, where batches overlap (drain). A batch's writes
 * are answered together, at its fsync: when one batch took every post in
 * flight (up to 64), a flood from a fixed set of clients (the bench's 16
 * connections, a proxy's pool) fell into step — every post answered at the
 * same moment, and the opinion thread idle (15–20 % of a flood) until the
 * next posts came back through the main thread. Four per batch keep them in
 * several groups, one answered while the next is stored (decision 003,
 * twenty-seventh session). The commits are more, their CPU per opinion was
 * not measurably more.
 */
export const MAX_BATCH_OVERLAPPED = 4;
/** On PostgreSQL: enough to amortise a commit; small enough that one batch holds its connection briefly. */
export const MAX_BATCH_SERIAL = 64;

class WriteQueue {
  private pending: Job[] = [];
  private draining = false;

  /** SQLite: the next batch runs while this one's fsync does (see drain). */
  private readonly overlapped: boolean;
  private readonly maxBatch: number;

  constructor(private readonly db: DB) {
    this.overlapped = !isPostgres(db);
    this.maxBatch = this.overlapped ? MAX_BATCH_OVERLAPPED : MAX_BATCH_SERIAL;
  }

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
        const batch = this.pending.splice(0, this.maxBatch);
        const { ran, settled } = this.commitBatch(batch);
        // On SQLite the next batch runs while this one's fsync does: its
        // BEGIN waits on the write connection's lock for this COMMIT, so it
        // sees every write of this batch (the double-submission check), and
        // its own callers settle only after an fsync that began after its
        // COMMIT (WalSync). On PostgreSQL a second transaction would run on
        // another connection beside this one, before this batch's opinions
        // are visible to it: the next batch waits for this one to settle.
        await (this.overlapped ? ran : settled);
      }
    } finally {
      this.draining = false;
    }
  }

  /** `ran`: the batch's writes are done (its COMMIT is next); `settled`: every caller has its answer. */
  private commitBatch(batch: Job[]): { ran: Promise<void>; settled: Promise<void> } {
    const outcomes: Outcome[] = [];
    let jobsDone!: () => void;
    const ran = new Promise<void>((resolve) => (jobsDone = resolve));
    const runJobs = () =>
      this.db.transaction().execute(async (trx) => {
        for (const [i, job] of batch.entries()) {
          // A write's statements run back to back as microtasks; a turn of
          // the event loop between writes lets reads (on their own
          // connection) be answered meanwhile instead of after the batch.
          if (i > 0) await new Promise((resolve) => setImmediate(resolve));
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await job.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
        jobsDone();
      });
    // Resolves once the COMMIT is on disk. BEGIN, COMMIT or the sync failed
    // (e.g. SQLITE_BUSY after the lock wait): nothing of this batch is known
    // to be stored, and every caller learns so.
    const settled = runJobs().then(
      () =>
        batch.forEach((job, i) => {
          const outcome = outcomes[i];
          if (outcome.ok) job.resolve(outcome.value);
          else job.reject(outcome.error);
        }),
      (error: unknown) => {
        for (const job of batch) job.reject(error);
      },
    );
    void settled.finally(jobsDone);
    return { ran, settled };
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
