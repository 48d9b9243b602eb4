// /healthz in-process: 200 after a real query, 503 when the database cannot be read.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDb, tempDir } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';

async function healthz() {
  vi.resetModules();
  const { loader } = await import('~/routes/healthz');
  return loader();
}

afterEach(async () => {
  const { closeDb } = await import('~/server/db.server');
  await closeDb();
  delete process.env.DATABASE_URL;
  delete process.env.DATABASE_PATH;
});

describe('/healthz', () => {
  it('answers ok with the dialect after a real query', async () => {
    const t = await createTestDb();
    if (onPostgres) process.env.DATABASE_URL = t.file;
    else process.env.DATABASE_PATH = t.file;
    const res = await healthz();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', dialect: onPostgres ? 'postgres' : 'sqlite' });
    const { closeDb } = await import('~/server/db.server');
    await closeDb();
    await t.close();
  });

  it('answers 503 when the SQLite database cannot be opened', async () => {
    // A directory where the database file should be: SQLite cannot open it.
    const dir = path.join(tempDir(), 'not-a-file.db');
    fs.mkdirSync(dir);
    process.env.DATABASE_PATH = dir;
    const res = await healthz();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', db: 'error', dialect: 'sqlite' });
  });

  it('answers 503 when PostgreSQL cannot be reached', async () => {
    // Nothing listens on port 1.
    process.env.DATABASE_URL = 'postgres://nobody:nothing@127.0.0.1:1/none';
    const res = await healthz();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', db: 'error', dialect: 'postgres' });
  });
});
