// PostgreSQL for tests (npm run test:pg): TEST_DATABASE_URL names a server and
// a role that may create databases; each test file (and each test server) gets
// a fresh database of its own, dropped when it closes.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

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

/** Creates an empty database and returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ikenbako_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^ikenbako_t_\w+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await admin((client) => client.query(`drop database if exists ${name} with (force)`));
}
