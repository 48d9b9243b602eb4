// PostgreSQL for tests (npm run test:pg): TEST_DATABASE_URL names a server and
// a role that may create databases; each test file (and each test server) gets
// a fresh database of its own, dropped when it closes. Migrated ones are copies
// of the run's template (postgres-template.ts), made once per run.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest, openDatabase } from '~/server/db.server';

/** The server the PostgreSQL run uses, or undefined for the SQLite run. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export const onPostgres = TEST_DATABASE_URL !== undefined;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function nameOf(databaseUrl: string): string {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^ikenbako_t_\w+$/.test(name)) throw new Error(`not a test database: ${name}`);
  return name;
}

/** Creates a database (empty, or a copy of `template`) and returns its URL. */
export async function createPostgresDatabase(options: { template?: string } = {}): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ikenbako_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = options.template ? ` template ${nameOf(options.template)}` : '';
  await admin((client) => client.query(`create database ${name}${template}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new database with every migration applied. */
async function createAndMigrate(): Promise<string> {
  const url = await createPostgresDatabase();
  const { db } = openDatabase(url, { poolMax: 1 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  return url;
}

/**
 * The run's template: migrated, then closed to connections (copying a database
 * fails while anyone is connected to it). Made by postgres-template.ts.
 */
export async function createPostgresTemplate(): Promise<string> {
  const url = await createAndMigrate();
  await admin((client) => client.query(`alter database ${nameOf(url)} with allow_connections false`));
  return url;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's template's URL (postgres-template.ts, the PostgreSQL run's global setup). */
    postgresTemplate?: string;
  }
}

/**
 * A fresh database with every migration applied: a copy of the run's template,
 * or (a run without that global setup) a new database migrated here.
 */
export async function createMigratedPostgresDatabase(): Promise<string> {
  const template = inject('postgresTemplate');
  return template ? createPostgresDatabase({ template }) : createAndMigrate();
}

export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  await admin((client) => client.query(`drop database if exists ${nameOf(databaseUrl)} with (force)`));
}
