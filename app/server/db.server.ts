import fs from 'node:fs';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  sql,
  Migrator,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
} from 'kysely';
import type { Database } from '../../db/schema';
import { migrationProvider } from '../../db/migrations/index';
import { dialectOf, type SqlDialect } from '../../db/dialect';
import { getEnv } from '~/utils/env.server';
import { BackgroundWriter } from './db-background.server';
import { RoutedSqliteDialect } from './db-writer.server';
import { statementCache } from './statement-cache.server';
import { WriteConnection } from './write-connection.server';
import { isPostgresUrl, openPostgres, SerialIdsPlugin } from './db-postgres.server';

export type DB = Kysely<Database>;
export { dialectOf, isPostgresUrl, type SqlDialect };

export function openSqlite(file: string): SQLite.Database {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // Created owner-only before SQLite opens it: the -wal and -shm files take
    // the database file's mode. An existing file keeps the mode it has.
    try {
      fs.closeSync(fs.openSync(file, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // An opinion acknowledged to a citizen must survive a power cut.
  sqlite.pragma('synchronous = FULL');
  return sqlite;
}

/**
 * Transactions start with BEGIN IMMEDIATE. A deferred BEGIN that reads first
 * (as createOpinion does, to find a double submission) cannot wait out
 * busy_timeout when it later needs the write lock another process holds: SQLite
 * fails it at once with SQLITE_BUSY. Taking the lock up front makes it wait.
 * Kysely already runs this connection's transactions one at a time.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** better-sqlite3 statements kept by their SQL (statement-cache.server.ts). */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const prepare = statementCache(sqlite);
  return { close: () => sqlite.close(), prepare };
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;
  constructor(sqlite: SQLite.Database) {
    const database = withStatementCache(sqlite);
    super({ database });
    this.database = database;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** One SQLite connection in this thread: SQLite-only scripts, tests and the bench's set-up. */
export function openSqliteDatabase(file: string): { db: DB; sqlite: SQLite.Database } {
  const sqlite = openSqlite(file);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(sqlite) });
  return { db, sqlite };
}

/**
 * The server's database (decision 012): reads on a query_only connection,
 * writes on the write connection, acknowledged after an fsync off the event
 * loop; search indexing and checkpoints on a background thread. `sqlite` is
 * the read connection.
 */
export function openServerDatabase(
  file: string,
  options: { background?: boolean } = {},
): { db: DB; sqlite: SQLite.Database; writer: WriteConnection; background: BackgroundWriter | null } {
  const writer = new WriteConnection(file, openSqlite);
  const sqlite = openSqlite(file);
  sqlite.pragma('query_only = ON');
  // Searches and the inbox at a million rows revisit the same index pages; an
  // opinion thread's reads are a handful of small lookups (decision 019).
  sqlite.pragma(`cache_size = ${isMainThread ? -16000 : -4000}`);
  const background = options.background === false ? null : new BackgroundWriter(file);
  const db = new Kysely<Database>({ dialect: new RoutedSqliteDialect(sqlite, writer, background) });
  return { db, sqlite, writer, background };
}

/**
 * A database for scripts and tests: a PostgreSQL URL (postgres://…) or a
 * SQLite file path. Close it with `db.destroy()`.
 */
export function openDatabase(target: string, options: { poolMax?: number } = {}): { db: DB } {
  if (isPostgresUrl(target)) return { db: openPostgres(target, { max: options.poolMax ?? 2 }).db };
  return { db: openSqliteDatabase(target).db };
}

/** The database the environment names: DATABASE_URL if set, else DATABASE_PATH. */
export function databaseTarget(): string {
  const env = getEnv();
  return env.DATABASE_URL ?? env.DATABASE_PATH;
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const postgres = dialectOf(db) === 'postgres';
  const migrator = new Migrator({ db: postgres ? db.withPlugin(new SerialIdsPlugin()) : db, provider: migrationProvider });
  // PostgreSQL's migrator takes an advisory lock; SQLite's locks within one process only.
  const run = async () => {
    const { error, results } = await migrator.migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  };
  return postgres ? run() : withSqliteMigrationLock(db, run);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two processes starting at once on one SQLite file (two instances of the
 * systemd unit) migrate one after the other: a lock file beside the database
 * holds the pid of the process migrating; a lock whose process is gone is taken over.
 */
async function withSqliteMigrationLock<T>(db: Kysely<any>, run: () => Promise<T>): Promise<T> {
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
  const file = rows.find((r) => r.name === 'main')?.file;
  if (!file) return run(); // in memory
  const lock = `${file}.migrate-lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx', mode: 0o600 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(fs.readFileSync(lock, { encoding: 'utf8', flag: 'a+' }));
    if (holder > 0 && !isAlive(holder)) fs.rmSync(lock, { force: true });
    else if (Date.now() > deadline) throw new Error(`${lock}: process ${holder} has been migrating for two minutes`);
    else await sleep(50);
  }
  try {
    return await run();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

let instance: { db: DB } | undefined;
/** Whether getDb starts the background thread (an opinion thread leaves it to the main thread's). */
let withBackgroundThread = true;

/** Called before the first getDb in an opinion thread (request-threads.server.ts). */
export function useBackgroundThread(value: boolean): void {
  withBackgroundThread = value;
}

export function getDb(): DB {
  if (!instance) {
    const env = getEnv();
    instance = env.DATABASE_URL
      ? openPostgres(env.DATABASE_URL, { max: env.DATABASE_POOL_MAX })
      : openServerDatabase(env.DATABASE_PATH, { background: withBackgroundThread });
  }
  return instance.db;
}

export async function closeDb(): Promise<void> {
  if (!instance) return;
  const { db } = instance;
  instance = undefined;
  await db.destroy();
}
