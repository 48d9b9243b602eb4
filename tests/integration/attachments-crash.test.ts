// A crash during an upload leaves files but never a row without its file.
// Two crashes, SIGKILL each time: one while a file is still arriving (a temp
// file), one after the files were stored but before the commit that names
// them (the database's write lock is held by this test, so the commit waits:
// SQLite's BEGIN IMMEDIATE, or on PostgreSQL the advisory lock every write
// transaction takes first).
// At the next start the sweep removes both kinds of orphan, and every
// attachment row still has its files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPostgresUrl, openDatabase, openSqlite } from '~/server/db.server';
import { WRITE_LOCK_KEY } from '~/server/db-postgres.server';
import { file, jpegWithGps, pdf, storedFiles, tempFiles } from '../helpers/attachments';
import { tempDir } from '../helpers/db';
import { waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
let server: TestServer;
let databasePath: string;
let uploadDir: string;
let cookie = '';
let opinionId = 0;

async function start(): Promise<void> {
  server = await startTestServer({ DATABASE_PATH: databasePath, UPLOAD_DIR: uploadDir });
  const user = await createTestUser(databasePath, 'staff');
  cookie = await signIn(server.url, user.email, user.password);
}

/** Takes the write lock every server write waits for; resolves once held, returns its release. */
async function holdWriteLock(): Promise<() => Promise<void>> {
  if (isPostgresUrl(databasePath)) {
    const client = new pg.Client({ connectionString: databasePath });
    await client.connect();
    await client.query('select pg_advisory_lock($1)', [WRITE_LOCK_KEY]);
    return async () => {
      await client.end();
    };
  }
  const sqlite = openSqlite(databasePath);
  sqlite.exec('BEGIN IMMEDIATE');
  return async () => {
    sqlite.exec('ROLLBACK');
    sqlite.close();
  };
}

/** Every row's files exist; returns the hashes rows name. */
async function checkRowsHaveFiles(): Promise<Set<string>> {
  const { db } = openDatabase(databasePath);
  try {
    const rows = await db.selectFrom('attachments').select(['sha256', 'thumbnail_sha256']).execute();
    const named = new Set(rows.flatMap((r) => [r.sha256, r.thumbnail_sha256]).filter((h): h is string => h !== null));
    for (const h of named) expect(fs.existsSync(path.join(uploadDir, h.slice(0, 2), h)), `file of row ${h}`).toBe(true);
    return named;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  // Its own upload folder, kept across the restarts (on PostgreSQL there is no database file to put it beside).
  uploadDir = path.join(tempDir('ikenbako-crash-'), 'uploads');
  const first = await startTestServer({ UPLOAD_DIR: uploadDir });
  databasePath = first.databasePath;
  server = first;
  const user = await createTestUser(databasePath, 'staff');
  cookie = await signIn(server.url, user.email, user.password);
  const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.url },
    body: new URLSearchParams({ section: '3', body: '郵便で届いた手紙をスキャンして添付します。', consent: 'on' }),
  });
  expect(res.status).toBe(303);
  const { db } = openDatabase(databasePath);
  opinionId = (await db.selectFrom('opinions').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id;
  await db.destroy();
  // One attachment that must survive everything below.
  const form = new FormData();
  form.append('intent', 'attach');
  form.append('attachments', file(pdf('kept'), 'kept.pdf', 'application/pdf'));
  const kept = await fetch(`${server.url}/staff/opinions/${opinionId}/attachments`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, Origin: server.url }, body: form });
  expect(kept.status).toBe(303);
});

afterAll(async () => {
  await server?.stop();
});

describe('SIGKILL during an upload', () => {
  it('leaves a temp file while a file is arriving, and the next start sweeps it', async () => {
    const boundary = '----ikenbakocrash';
    const req = http.request(`${server.url}/staff/opinions/${opinionId}/attachments`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: server.url, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
    });
    req.on('error', () => {});
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nattach\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="half.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
    req.write(Buffer.alloc(512 * 1024, 7));
    await waitFor(() => tempFiles(uploadDir).length === 1, { message: 'the half-received file in tmp/' });
    await server.kill();
    req.destroy();
    expect(tempFiles(uploadDir)).toHaveLength(1);

    await start();
    expect(tempFiles(uploadDir)).toEqual([]);
    expect(server.logs()).toContain('swept orphan attachment files');
    await checkRowsHaveFiles();
  });

  it('leaves stored files without rows when killed before the commit, and the next start sweeps them', async () => {
    const before = new Set(storedFiles(uploadDir));
    // Hold the write lock: the server stores the files, then waits to commit.
    const release = await holdWriteLock();
    const form = new FormData();
    form.append('intent', 'attach');
    form.append('attachments', file(await jpegWithGps({ r: 9, g: 99, b: 199 }, 900, 700), 'crash.jpg', 'image/jpeg'));
    form.append('attachments', file(pdf('orphan'), 'orphan.pdf', 'application/pdf'));
    const pending = fetch(`${server.url}/staff/opinions/${opinionId}/attachments`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, Origin: server.url }, body: form }).catch(
      () => null,
    );
    // The image, its thumbnail and the PDF.
    const orphans = await waitFor(
      () => {
        const added = storedFiles(uploadDir).filter((f) => !before.has(f));
        return added.length === 3 ? added : null;
      },
      { message: 'three files stored before the commit' },
    );
    await server.kill();
    await release();
    expect(await pending).toBeNull();
    for (const f of orphans) expect(fs.existsSync(path.join(uploadDir, f))).toBe(true);

    await start();
    for (const f of orphans) expect(fs.existsSync(path.join(uploadDir, f)), `${f} swept`).toBe(false);
    const named = await checkRowsHaveFiles();
    // Only what rows name is left on disk, and the attachment sent before the crashes is intact.
    expect(new Set(storedFiles(uploadDir).map((f) => f.slice(3)))).toEqual(named);
    expect(named.size).toBe(1);
    const list = await fetch(`${server.url}/staff/opinions/${opinionId}`, { headers: { Cookie: cookie } });
    expect(list.status).toBe(200);
  });
});
