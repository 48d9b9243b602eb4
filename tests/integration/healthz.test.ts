// /healthz in-process: 200 after a real query, 503 when the database cannot be read.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db';

describe('/healthz', () => {
  it('answers 503 when the database cannot be opened', async () => {
    // A directory where the database file should be: SQLite cannot open it.
    const dir = path.join(tempDir(), 'not-a-file.db');
    fs.mkdirSync(dir);
    process.env.DATABASE_PATH = dir;
    const { loader } = await import('~/routes/healthz');
    const res = await loader();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'error', db: 'error' });
  });
});
