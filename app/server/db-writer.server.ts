// The server's database: reads on the main thread, writes on a writer thread
// (docs/decisions/012-writer-thread.md). Models stay unchanged: a Kysely
// dialect routes each query. A read-only SELECT outside a transaction runs on
// the main thread's query_only connection (WAL: it never waits for a writer);
// everything else (writes, and every statement of a transaction, its reads
// too) goes as SQL + parameters to the thread that owns the write connection,
// so no fsync and no write ever blocks the event loop.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { log } from './request-log.server';

/**
 * A write could not run because the writer thread stopped (it is restarted at
 * once). The code makes isBusyError() answer 503 "try again": nothing of the
 * write was stored.
 */
export class WriterStoppedError extends Error {
  readonly code = 'SQLITE_BUSY_WRITER_STOPPED';
  constructor(message = 'the database writer thread stopped; the write was rolled back') {
    super(message);
    this.name = 'WriterStoppedError';
  }
}

type Answer = { id: number; rows: unknown[]; changes?: number; lastInsertRowid?: number | bigint; error?: { name: string; message: string; code?: string } };
type Pending = { resolve: (answer: Answer) => void; reject: (error: unknown) => void };

/** The worker's file: beside this module in the sources, under app/server from build/index.js. */
function workerFile(): URL {
  const candidates = [new URL('./db-writer.worker.mjs', import.meta.url), new URL('../app/server/db-writer.worker.mjs', import.meta.url)];
  const found = candidates.find((u) => fs.existsSync(fileURLToPath(u)));
  if (!found) throw new Error(`db-writer.worker.mjs not found (looked in ${candidates.map((u) => u.pathname).join(', ')})`);
  return found;
}

function toError(e: NonNullable<Answer['error']>): Error {
  const error = new Error(e.message) as Error & { code?: string };
  error.name = e.name;
  if (e.code !== undefined) error.code = e.code;
  return error;
}

/**
 * The main thread's end of the writer thread: sends statements in order, and
 * hands out the write connection to one transaction at a time. When the thread
 * dies, everything in flight is rejected with WriterStoppedError and a new
 * thread starts; a transaction begun on the old one can only roll back.
 */
export class WriterThread {
  private worker!: Worker;
  private ready!: Promise<void>;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  /** Bumped at every (re)start; a transaction remembers the one it began on. */
  generation = 0;
  private closing = false;
  private lockTail: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {
    this.start();
  }

  private start(): void {
    this.generation++;
    const worker = new Worker(workerFile(), { workerData: { file: this.file } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', () => reject(new WriterStoppedError('the database writer thread did not start')));
    });
    this.ready.catch(() => undefined);
    worker.on('message', (answer: Answer & { ready?: true }) => {
      if (answer.ready) return;
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if (answer.error) p.reject(toError(answer.error));
      else p.resolve(answer);
    });
    worker.on('error', (error) => log('error', 'database writer thread failed', { error: String(error) }));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      const inFlight = [...this.pending.values()];
      this.pending.clear();
      for (const p of inFlight) p.reject(new WriterStoppedError());
      if (this.closing) return;
      log('error', 'database writer thread stopped; restarting it', { code, inFlight: inFlight.length });
      this.start();
    });
  }

  /** Runs one statement on the write connection (in order with every other). */
  async execute(sql: string, params: readonly unknown[], generation = this.generation): Promise<Answer> {
    if (generation !== this.generation) throw new WriterStoppedError();
    await this.ready;
    if (generation !== this.generation) throw new WriterStoppedError();
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, sql, params });
    });
  }

  /** Waits for the write connection; call the returned function to hand it on. */
  lock(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.lockTail;
    this.lockTail = previous.then(() => turn);
    return previous.then(() => release);
  }

  /** For tests: ends the thread as a crash would. */
  async crashForTest(): Promise<void> {
    await this.worker.terminate();
  }

  /** Lets queued transactions finish, then closes the connection (checkpointing the WAL). */
  async close(): Promise<void> {
    const release = await this.lock();
    this.closing = true;
    try {
      await this.ready;
      const id = this.nextId++;
      const closed = new Promise<void>((resolve) => this.pending.set(id, { resolve: () => resolve(), reject: () => resolve() }));
      this.worker.postMessage({ id, close: true });
      await closed;
      await this.worker.terminate();
    } catch {
      // already gone
    } finally {
      release();
    }
  }
}

type StatementCache = (sql: string) => SQLite.Statement;

function statementCache(sqlite: SQLite.Database): StatementCache {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= 500) cache.clear();
      statement = sqlite.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

function toResult(answer: Answer): QueryResult<unknown> {
  if (answer.changes === undefined) return { rows: answer.rows };
  return {
    rows: [],
    numAffectedRows: BigInt(answer.changes),
    insertId: answer.lastInsertRowid === undefined ? undefined : BigInt(answer.lastInsertRowid),
  };
}

const READ_STATEMENT = /^\s*(select|with)\b/i;

class RoutedConnection implements DatabaseConnection {
  /** Set while this connection holds the writer for a transaction. */
  transaction: { generation: number; release: () => void } | null = null;

  constructor(
    private readonly prepareRead: StatementCache,
    private readonly writer: WriterThread,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = query;
    if (this.transaction) return toResult(await this.writer.execute(sql, parameters, this.transaction.generation)) as QueryResult<R>;
    if (READ_STATEMENT.test(sql)) {
      let statement: SQLite.Statement | undefined;
      try {
        statement = this.prepareRead(sql);
      } catch {
        // e.g. a table this connection has not seen yet: let the writer answer.
      }
      if (statement?.readonly && statement.reader) return { rows: statement.all(parameters as unknown[]) as R[] };
    }
    // A single write outside a transaction still waits for its turn, so that
    // it never lands inside another caller's open transaction.
    const release = await this.writer.lock();
    try {
      return toResult(await this.writer.execute(sql, parameters)) as QueryResult<R>;
    } finally {
      release();
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported; page by keyset instead');
  }

  /**
   * BEGIN IMMEDIATE: a deferred BEGIN that reads first cannot wait out
   * busy_timeout when it later needs the lock another process holds (see 002).
   */
  async begin(): Promise<void> {
    const release = await this.writer.lock();
    const generation = this.writer.generation;
    try {
      await this.writer.execute('begin immediate', [], generation);
    } catch (error) {
      release();
      throw error;
    }
    this.transaction = { generation, release };
  }

  async end(statement: 'commit' | 'rollback'): Promise<void> {
    const transaction = this.transaction;
    if (!transaction) return;
    try {
      await this.writer.execute(statement, [], transaction.generation);
    } catch (error) {
      // A failed COMMIT is followed by Kysely's rollback: keep the writer till then.
      if (statement === 'commit' && !(error instanceof WriterStoppedError)) throw error;
      if (statement === 'commit') {
        this.transaction = null;
        transaction.release();
        throw error;
      }
      // A rollback on a stopped thread: the thread's own close rolled it back.
    }
    this.transaction = null;
    transaction.release();
  }
}

class RoutedDriver implements Driver {
  constructor(
    private readonly reader: SQLite.Database,
    private readonly writer: WriterThread,
    private readonly prepareRead = statementCache(reader),
  ) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.prepareRead, this.writer);
  }
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).begin();
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutedConnection).end('rollback');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {
    await this.writer.close();
    this.reader.close();
  }
}

/** Kysely's SQLite dialect with the routing driver. */
export class RoutedSqliteDialect implements Dialect {
  constructor(
    private readonly reader: SQLite.Database,
    private readonly writer: WriterThread,
  ) {}
  createDriver(): Driver {
    return new RoutedDriver(this.reader, this.writer);
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
