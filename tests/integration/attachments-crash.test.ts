// A crash during an upload leaves files but never a row without its file.
// Two crashes, SIGKILL each time: one while a file is still arriving (a temp
// file), one after the files were stored but before the commit that names
// them (the database's write lock is held by this test, so the commit waits).
// At the next start the sweep removes both kinds of orphan, and every
// attachment row still has its files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { file, jpegWithGps, pdf, storedFiles, tempFiles } from '../helpers/attachments';
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
  server = await startTestServer({ DATABASE_PATH: databasePath });
  const user = await createTestUser(databasePath, 'staff');
  cookie = await signIn(server.url, user.email, user.password);
}

function openFile(): SQLite.Database {
  const sqlite = new SQLite(databasePath);
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

/** Every row's files exist; returns the hashes rows name. */
function checkRowsHaveFiles(): Set<string> {
  const sqlite = openFile();
  try {
    const rows = sqlite.prepare('select sha256, thumbnail_sha256 from attachments').all() as Array<{ sha256: string; thumbnail_sha256: string | null }>;
    const named = new Set(rows.flatMap((r) => [r.sha256, r.thumbnail_sha256]).filter((h): h is string => h !== null));
    for (const h of named) expect(fs.existsSync(path.join(uploadDir, h.slice(0, 2), h)), `file of row ${h}`).toBe(true);
    return named;
  } finally {
    sqlite.close();
  }
}

beforeAll(async () => {
  const first = await startTestServer();
  databasePath = first.databasePath;
  uploadDir = path.join(path.dirname(databasePath), 'uploads');
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
  const sqlite = openFile();
  opinionId = (sqlite.prepare('select max(id) as id from opinions').get() as { id: number }).id;
  sqlite.close();
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
    checkRowsHaveFiles();
  });

  it('leaves stored files without rows when killed before the commit, and the next start sweeps them', async () => {
    const before = new Set(storedFiles(uploadDir));
    // Hold the write lock: the server stores the files, then waits to commit.
    const locker = openFile();
    locker.exec('BEGIN IMMEDIATE');
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
    locker.exec('ROLLBACK');
    locker.close();
    expect(await pending).toBeNull();
    for (const f of orphans) expect(fs.existsSync(path.join(uploadDir, f))).toBe(true);

    await start();
    for (const f of orphans) expect(fs.existsSync(path.join(uploadDir, f)), `${f} swept`).toBe(false);
    const named = checkRowsHaveFiles();
    // Only what rows name is left on disk, and the attachment sent before the crashes is intact.
    expect(new Set(storedFiles(uploadDir).map((f) => f.slice(3)))).toEqual(named);
    expect(named.size).toBe(1);
    const list = await fetch(`${server.url}/staff/opinions/${opinionId}`, { headers: { Cookie: cookie } });
    expect(list.status).toBe(200);
  });
});
