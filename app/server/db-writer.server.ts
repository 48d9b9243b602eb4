// The server's database connections (docs/decisions/012-writer-thread.md).
// Models stay unchanged: a Kysely dialect routes each query.
// - A read-only SELECT outside a transaction runs on a query_only connection:
//   it never waits for a transaction that is open across awaits.
// - Everything else runs on the write connection, one transaction at a time.
//   No fsync ever runs on the event loop: the write connection commits with
//   synchronous = NORMAL (no sync in COMMIT), and a transaction settles only
//   after an fsync of the WAL, done in libuv's thread pool, that started after
//   its COMMIT (one fsync serves every commit before it: group commit). Lock
//   waits are retried with timers instead of SQLite's sleeping busy handler
//   (write-connection.server.ts).
// - Search indexing and checkpoints run on a thread of their own with its own
//   connection (db-background.worker.mjs).
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  sql as sqlFragment,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import type { BackgroundWriter } from './db-background.server';
import { statementCache, type StatementCache } from './statement-cache.server';
import { WriteConnection } from './write-connection.server';

// db.server.ts opens the write connection it hands to the dialect, by this module's name.

/**
 * The end of a write whose loss in a power cut harms nobody (a rate-limit
 * hit): its COMMIT asks for no fsync and it resolves at once; the next durable
 * commit's fsync carries it to disk (an fsync of the WAL carries every frame
 * written before it). Asking for one of its own kept an fsync running back to
 * back under a surge (one per rate-limit hit), each costing the thread pool
 * CPU and making the next batch's fsync wait behind it. The mark is in the
 * statement itself, not in an AsyncLocalStorage: on Node 20 one
 * AsyncLocalStorage turns on promise hooks for every promise of the thread,
 * ~4 % of an opinion thread's time.
 */
const NO_SYNC_SQL = '/* no-sync */';
export const NO_SYNC = sqlFragment.raw(NO_SYNC_SQL);

const READ_STATEMENT = /^\s*(select|with)\b/i;
// Statements SQLite refuses inside a transaction.
const NO_TRANSACTION = /^\s*(pragma|vacuum)\b/i;
const RAW_BEGIN = /^\s*begin\b/i;
const RAW_END = /^\s*(commit|end|rollback)\s*(transaction)?\s*;?\s*$/i;

/**
 * A transaction opened with raw SQL through `db` (a migration that must switch
 * foreign keys off first) holds the write connection until its COMMIT or
 * ROLLBACK, and every statement until then, reads too, runs inside it. Only
 * migrations do this, before the server takes requests.
 */
const rawTransactions = new WeakMap<WriteConnection, () => void>();

class RoutedConnection implements DatabaseConnection {
  /** Set while this connection holds the write connection for a transaction. */
  private release: (() => void) | null = null;

  constructor(
    private readonly prepareRead: StatementCache,
    private readonly writer: WriteConnection,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    if (this.release) return this.writer.run(sql, parameters) as QueryResult<R>;
    const raw = rawTransactions.get(this.writer);
    if (raw) {
      const result = this.writer.run(sql, parameters);
      if (RAW_END.test(sql)) {
        rawTransactions.delete(this.writer);
        raw();
      }
      return result as QueryResult<R>;
    }
    if (RAW_BEGIN.test(sql)) {
      const release = await this.writer.lock();
      try {
        // The background thread may hold the lock for a moment: wait it out.
        await this.writer.begin(sql);
      } catch (error) {
        release();
        throw error;
      }
      rawTransactions.set(this.writer, release);
      return { rows: [] };
    }
    if (READ_STATEMENT.test(sql)) {
      let statement: SQLite.Statement | undefined;
      try {
        statement = this.prepareRead(sql);
      } catch {
        // e.g. a table this connection cannot see yet: the write connection answers.
      }
      if (statement?.readonly && statement.reader) return { rows: statement.all(parameters as unknown[]) as R[] };
    }
    // A write outside a transaction is a transaction of its own, so that it
    // waits its turn (never landing inside another caller's) and is durable.
    const release = await this.writer.lock();
    if (NO_TRANSACTION.test(sql)) {
      try {
        return this.writer.run(sql, parameters) as QueryResult<R>;
      } finally {
        release();
      }
    }
    let durable: Promise<void>;
    let result: QueryResult<unknown>;
    try {
      await this.writer.begin();
      try {
        result = this.writer.run(sql, parameters);
        durable = this.writer.commit({ sync: !sql.endsWith(NO_SYNC_SQL) });
      } catch (error) {
        this.writer.rollback();
        throw error;
      }
    } finally {
      release();
    }
    await durable;
    return result as QueryResult<R>;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported; page by keyset instead');
  }

  async begin(): Promise<void> {
    const release = await this.writer.lock();
    try {
      await this.writer.begin();
    } catch (error) {
      release();
      throw error;
    }
    this.release = release;
  }

  async commit(): Promise<void> {
    // A failed COMMIT throws here and is followed by Kysely's rollback, which
    // hands the connection on. Once committed, the next transaction may start
    // while this one waits for the disk.
    const durable = this.writer.commit();
    this.end();
    await durable;
  }

  async rollback(): Promise<void> {
    try {
      this.writer.rollback();
    } finally {
      this.end();
    }
  }

  private end(): void {
    const release = this.release;
    this.release = null;
    release?.();
  }
}

class RoutedDriver implements Driver {
  private readonly prepareRead: StatementCache;
  constructor(
    private readonly reader: SQLite.Database,
    private readonly writer: WriteConnection,
    private readonly background: BackgroundWriter | null,
  ) {
    this.prepareRead = statementCache(reader);
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.prepareRead, this.writer);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).commit();
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).rollback();
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.background?.close();
    await this.writer.close();
    this.reader.close();
  }
}

/** Kysely's SQLite dialect with the routing driver. */
export class RoutedSqliteDialect implements Dialect {
  constructor(
    private readonly reader: SQLite.Database,
    private readonly writer: WriteConnection,
    private readonly background: BackgroundWriter | null,
  ) {}
  createDriver(): Driver {
    return new RoutedDriver(this.reader, this.writer, this.background);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
