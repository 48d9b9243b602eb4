// The one write connection of the server (docs/decisions/012-writer-thread.md):
// transactions take turns on it (lock), wait for another process's lock with
// timers rather than SQLite's sleeping busy handler (begin), and settle once
// the WAL holding their COMMIT is on disk (commit).
import type SQLite from 'better-sqlite3';
import type { QueryResult } from 'kysely';
import { statementCache, type StatementCache } from './statement-cache.server';
import { WalSync } from './wal-sync.server';

/** How long a write waits for a lock another process holds (as busy_timeout did). */
export const LOCK_WAIT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** The one write connection, handed to one transaction at a time. */
export class WriteConnection {
  readonly sqlite: SQLite.Database;
  private readonly prepare: StatementCache;
  private readonly wal: WalSync;
  private lockTail: Promise<void> = Promise.resolve();

  constructor(file: string, open: (file: string) => SQLite.Database) {
    this.sqlite = open(file);
    // Durability comes from WalSync before a commit is acknowledged, not from
    // a sync inside COMMIT (which would hold the event loop for the disk).
    this.sqlite.pragma('synchronous = NORMAL');
    // Checkpoints (and their fsyncs) belong to the background writer thread.
    this.sqlite.pragma('wal_autocheckpoint = 0');
    // Lock waits are retried with timers in begin(), never slept on this thread.
    this.sqlite.pragma('busy_timeout = 0');
    // Each opinion touches a leaf of every index on opinions: keep them in
    // memory; a page that fell out is read again from the OS page cache
    // (decision 019).
    this.sqlite.pragma('cache_size = -8000');
    // A savepoint (one per job of a group commit) and a statement with
    // triggers keep the pages they change in a journal of their own, a temp
    // file by default: ~100 pwrite calls per opinion. In memory it holds one
    // job's pages at most (decision 012).
    this.sqlite.pragma('temp_store = MEMORY');
    this.prepare = statementCache(this.sqlite);
    this.wal = new WalSync(`${file}-wal`);
  }

  /** Waits for the connection; call the returned function to hand it on. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.lockTail;
    this.lockTail = previous.then(() => turn);
    return previous.then(() => release);
  }

  run(sql: string, params: readonly unknown[]): QueryResult<unknown> {
    const statement = this.prepare(sql);
    if (statement.reader) return { rows: statement.all(params as unknown[]) };
    const { changes, lastInsertRowid } = statement.run(params as unknown[]);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  /**
   * BEGIN IMMEDIATE: a deferred BEGIN that reads first cannot wait for the
   * lock another process holds (decision 002). Waits up to LOCK_WAIT_MS, then
   * fails with SQLITE_BUSY (answered 503).
   */
  async begin(statement = 'begin immediate'): Promise<void> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
      try {
        this.sqlite.exec(statement);
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() >= deadline) throw error;
      }
      await sleep(Math.min(pause, Math.max(1, deadline - Date.now())));
    }
  }

  /**
   * COMMIT now; the returned promise settles once the WAL holding it is on
   * disk. With `sync: false` it settles at once and the commit waits for
   * whichever fsync comes next (a write whose loss in a power cut harms nobody).
   */
  commit({ sync = true }: { sync?: boolean } = {}): Promise<void> {
    this.sqlite.exec('commit');
    return sync ? this.wal.sync() : Promise.resolve();
  }

  rollback(): void {
    if (this.sqlite.inTransaction) this.sqlite.exec('rollback');
  }

  /** Lets queued transactions finish, then closes (SQLite checkpoints on the last close). */
  async close(): Promise<void> {
    const release = await this.lock();
    try {
      await this.wal.close();
      this.sqlite.pragma('synchronous = FULL');
      this.sqlite.close();
    } finally {
      release();
    }
  }
}
