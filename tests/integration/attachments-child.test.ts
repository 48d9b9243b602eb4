// Images are re-encoded in a child process of the server (decision 019,
// amendment). A child killed with a photo in hand (SIGKILL, as the OOM killer
// or a crash in libvips would end it) makes that upload a clean refusal in
// Japanese: no 500, no opinion, no file stored or left in tmp; the next photo
// starts a new child. An idle child exits, and the next photo starts another;
// the server's shutdown ends its child.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { file, jpegWithGps, storedFiles, tempFiles } from '../helpers/attachments';
import { tempDir } from '../helpers/db';
import { waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

const SLUG = 'xiuzhou-inspection-2023';

/** Fields after the closing parenthesis of /proc/<pid>/stat (the name may hold spaces): [0] state, [1] ppid. */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The server's image child, or null when it has none. */
function imageChildOf(serverPid: number): number | null {
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (!fields || Number(fields[1]) !== serverPid || fields[0] === 'Z') continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('image-child.mjs')) return Number(name);
    } catch {
      // Gone meanwhile.
    }
  }
  return null;
}

/** Whether the process has a file of the folder open (the received photo, while libvips decodes it). */
function hasOpenFileIn(pid: number, dir: string): boolean {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(dir + path.sep);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

const isGone = (pid: number) => {
  const fields = statFields(pid);
  return fields === null || fields[0] === 'Z';
};

function sendPhoto(server: TestServer, body: string, photo: File): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ section: '4', item: '', consent: 'on', body })) form.append(k, v);
  form.append('attachments', photo);
  return fetch(`${server.url}/reports/${SLUG}/opinions`, { method: 'POST', redirect: 'manual', headers: { Origin: server.url }, body: form });
}

const countOpinions = async (db: DB, body: string) =>
  Number((await db.selectFrom('opinions').select((eb) => eb.fn.countAll().as('n')).where('body', '=', body).executeTakeFirstOrThrow()).n);

describe('an image child killed with a photo in hand', () => {
  let server: TestServer;
  let db: DB;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = path.join(tempDir('ikenbako-att-child-'), 'uploads');
    // A malloc setting of the server's own: the child must not inherit it.
    server = await startTestServer({ RATE_LIMIT_OPINIONS: '100', UPLOAD_DIR: uploadDir, MALLOC_MMAP_THRESHOLD_: '131072' });
    db = openDatabase(server.databasePath).db;
  });

  afterAll(async () => {
    await db?.destroy();
    await server?.stop();
  });

  it('refuses that photo cleanly, keeps nothing of it, and the next photo gets a new child; shutdown ends the child', async () => {
    const run = Date.now();
    // 49 megapixels of PNG (no shrink-on-load): the child decodes it for a good while.
    const big = await sharp({ create: { width: 7000, height: 7000, channels: 3, background: { r: 90, g: 140, b: 60 } } }).png().toBuffer();
    expect((await sendPhoto(server, `最初の写真です。歩道の段差 ${run}`, file(await jpegWithGps(), 'first.jpg', 'image/jpeg'))).status).toBe(303);
    const first = imageChildOf(server.proc.pid!);
    expect(first).not.toBeNull();
    // Two malloc arenas, glibc's own mmap threshold (decision 019).
    const environ = fs.readFileSync(`/proc/${first}/environ`, 'utf8').split('\0');
    expect(environ).toContain('MALLOC_ARENA_MAX=2');
    expect(environ.filter((v) => v.startsWith('MALLOC_MMAP_THRESHOLD_'))).toEqual([]);
    const storedBefore = storedFiles(uploadDir).sort();

    const body = `途中で止まる写真です。${run}`;
    const answer = sendPhoto(server, body, file(big, 'big.png', 'image/png'));
    await waitFor(() => hasOpenFileIn(first!, path.join(uploadDir, 'tmp')), { interval: 5, message: 'the child to open the received photo' });
    process.kill(first!, 'SIGKILL');

    const res = await answer;
    expect(res.status).toBe(415);
    expect(await res.text()).toContain('「big.png」は壊れているか、読み込めないファイルです。');
    expect(await countOpinions(db, body)).toBe(0);
    expect(storedFiles(uploadDir).sort()).toEqual(storedBefore);
    expect(tempFiles(uploadDir)).toEqual([]);
    expect(server.logs()).toContain('image child ended with jobs in hand');

    const after = `次の写真です。${run}`;
    expect((await sendPhoto(server, after, file(await jpegWithGps({ r: 30, g: 60, b: 200 }), 'next.jpg', 'image/jpeg'))).status).toBe(303);
    expect(await countOpinions(db, after)).toBe(1);
    const second = imageChildOf(server.proc.pid!);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);

    expect(await server.stop()).toBe(0);
    await waitFor(() => isGone(second!), { message: 'the image child to end with the server' });
  });
});

describe('an idle image child', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_OPINIONS: '100', UPLOAD_DIR: path.join(tempDir('ikenbako-att-idle-'), 'uploads'), IMAGE_CHILD_IDLE_MS: '200' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('exits after IMAGE_CHILD_IDLE_MS without a photo, and the next photo starts another', async () => {
    const run = Date.now();
    expect((await sendPhoto(server, `待ち時間の写真 1 ${run}`, file(await jpegWithGps(), 'a.jpg', 'image/jpeg'))).status).toBe(303);
    await waitFor(() => imageChildOf(server.proc.pid!) === null, { message: 'the idle image child to exit' });
    expect((await sendPhoto(server, `待ち時間の写真 2 ${run}`, file(await jpegWithGps({ r: 1, g: 2, b: 3 }), 'b.jpg', 'image/jpeg'))).status).toBe(303);
  });
});

describe('an image child that has done its share', () => {
  let server: TestServer;
  let uploadDir: string;

  beforeAll(async () => {
    uploadDir = path.join(tempDir('ikenbako-att-share-'), 'uploads');
    // Never idle long enough to exit: only the count of photos lets it go.
    server = await startTestServer({ RATE_LIMIT_OPINIONS: '100', UPLOAD_DIR: uploadDir, IMAGE_CHILD_IDLE_MS: '600000', IMAGE_CHILD_MAX_JOBS: '2' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('is let go after IMAGE_CHILD_MAX_JOBS photos, and a fresh child re-encodes the next', async () => {
    const run = Date.now();
    const send = async (n: number) =>
      expect((await sendPhoto(server, `交代の写真 ${n} ${run}`, file(await jpegWithGps({ r: 10 * n, g: 2, b: 3 }), `${n}.jpg`, 'image/jpeg'))).status).toBe(303);
    await send(1);
    const first = imageChildOf(server.proc.pid!);
    expect(first).not.toBeNull();
    const filesPerPhoto = storedFiles(uploadDir).length;
    expect(filesPerPhoto).toBeGreaterThan(0);
    await send(2);
    // Its share done, it stays until the next photo asks for a child.
    expect(imageChildOf(server.proc.pid!)).toBe(first);
    await send(3);
    await waitFor(() => isGone(first!), { message: 'the first image child to be let go' });
    const second = imageChildOf(server.proc.pid!);
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    // All three photos were re-encoded and stored.
    expect(storedFiles(uploadDir)).toHaveLength(3 * filesPerPhoto);
  });
});
