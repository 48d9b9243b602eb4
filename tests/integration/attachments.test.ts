// Attachments through the real server: files are typed by their bytes,
// images come out re-encoded without their EXIF (GPS position, serial number)
// and no larger than 2,560 px, PDFs are kept and only downloaded, refusals
// keep the rest of the form, a 200 MB body is cut off without the server's
// memory growing, only staff can fetch a file, the same file is stored once,
// and anonymisation deletes the files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import sharp from 'sharp';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { file, jpegWithGps, pdf, png, rssOf, storedFiles, tempFiles } from '../helpers/attachments';
import { tempDir } from '../helpers/db';
import { postReadingLate, waitFor } from '../helpers/http';
import { emlFiles } from '../helpers/smtp';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';

let server: TestServer;
let db: DB;
let uploadDir: string;
const cookies = { staff: '', moderator: '', admin: '' };
let opinionId = 0;

async function sendPlainOpinion(fields: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: server.url },
    body: new URLSearchParams({ section: '2', body: '歩道の段差が危ないので直してください。', consent: 'on', ...fields }),
  });
  expect(res.status).toBe(303);
  const row = await db.selectFrom('opinions').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  return row.id;
}

function postMultipart(urlPath: string, form: FormData, cookie = cookies.staff): Promise<Response> {
  return fetch(server.url + urlPath, { method: 'POST', redirect: 'manual', headers: { Origin: server.url, ...(cookie ? { Cookie: cookie } : {}) }, body: form });
}

function attachForm(...files: File[]): FormData {
  const form = new FormData();
  form.append('intent', 'attach');
  for (const f of files) form.append('attachments', f);
  return form;
}

const rowsOf = (id: number) => db.selectFrom('attachments').selectAll().where('opinion_id', '=', id).orderBy('id').execute();

beforeAll(async () => {
  // A folder of its own: on PostgreSQL there is no database file to put it beside.
  uploadDir = path.join(tempDir('ikenbako-att-'), 'uploads');
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100', UPLOAD_DIR: uploadDir });
  db = openDatabase(server.databasePath).db;
  for (const role of ['staff', 'moderator', 'admin'] as const) {
    const user = await createTestUser(server.databasePath, role);
    cookies[role] = await signIn(server.url, user.email, user.password);
  }
  opinionId = await sendPlainOpinion();
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

function opinionForm(fields: Record<string, string>, ...files: File[]): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries({ section: '4', item: '', consent: 'on', ...fields })) form.append(k, v);
  for (const f of files) form.append('attachments', f);
  return form;
}

describe('a citizen sends files with the form, without JavaScript', () => {
  it('round-trips two images and a PDF: stored safe, listed on the receipt and in the office mail', async () => {
    const body = `写真と手紙を添えて送ります。歩道の段差が危険です。${Date.now()}`;
    const photo = await jpegWithGps({ r: 50, g: 60, b: 70 });
    const res = await postMultipart(
      `/reports/${SLUG}/opinions`,
      opinionForm(
        { body, email: 'citizen@example.jp' },
        file(photo, 'IMG_0001.jpg', 'image/jpeg'),
        file(await png(500, 400), '図.png', 'image/png'),
        file(pdf('letter'), '書類.pdf', 'application/pdf'),
      ),
      '',
    );
    expect(res.status, await res.clone().text()).toBe(303);
    const receiptPath = res.headers.get('location')!;
    const opinion = await db.selectFrom('opinions').select(['id', 'tracking_number']).where('body', '=', body).executeTakeFirstOrThrow();
    const rows = await rowsOf(opinion.id);
    expect(rows.map((r) => [r.name, r.type, r.added_by_id])).toEqual([
      ['IMG_0001.jpg', 'image/jpeg', null],
      ['図.png', 'image/png', null],
      ['書類.pdf', 'application/pdf', null],
    ]);
    const stored = fs.readFileSync(path.join(uploadDir, rows[0].sha256.slice(0, 2), rows[0].sha256));
    const meta = await sharp(stored).metadata();
    expect(meta.exif, 'GPS EXIF removed').toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBe(2560);

    // The receipt: names and sizes, no link to the files.
    const receipt = await (await fetch(server.url + receiptPath)).text();
    expect(receipt).toContain('IMG_0001.jpg(');
    expect(receipt).toContain('書類.pdf(');
    expect(receipt).not.toContain('/staff/attachments/');

    // The office mail: a list with staff links, never the files.
    const decoded = await waitFor(
      async () => {
        const files = emlFiles(server.mailDir);
        for (const f of files) {
          const mail = await simpleParser(fs.readFileSync(path.join(server.mailDir, f)));
          if (mail.subject?.includes(opinion.tracking_number) && mail.text?.includes('意見箱に新しい意見が届きました')) return mail;
        }
        return null;
      },
      { message: 'the office mail' },
    );
    expect(decoded.text).toContain('添付ファイル(3件、職員用画面でのみ開けます)');
    expect(decoded.text).toContain('書類.pdf');
    expect(decoded.text).toContain(`/staff/attachments/${rows[2].id}`);
    expect(decoded.attachments).toEqual([]);
  });

  it('handles a PNG named .pdf as a PNG', async () => {
    const body = `拡張子の違うファイルを送ります。${Date.now()}`;
    const res = await postMultipart(`/reports/${SLUG}/opinions`, opinionForm({ body }, file(await png(64, 64), 'scan.pdf', 'application/pdf')), '');
    expect(res.status).toBe(303);
    const opinion = await db.selectFrom('opinions').select('id').where('body', '=', body).executeTakeFirstOrThrow();
    expect((await rowsOf(opinion.id)).map((r) => [r.name, r.type])).toEqual([['scan.pdf', 'image/png']]);
  });

  it('refuses an HTML file named .jpg with 415 naming it, and shows the form again with what was typed', async () => {
    const body = `偽の画像を送ってみます。入力内容は残るはずです。${Date.now()}`;
    const res = await postMultipart(
      `/reports/${SLUG}/opinions`,
      opinionForm({ body, name: '添付 太郎' }, file(Buffer.from('<html><body><script>alert(1)</script></body></html>'), 'evil.jpg', 'image/jpeg')),
      '',
    );
    expect(res.status).toBe(415);
    const html = await res.text();
    expect(html).toContain('「evil.jpg」は添付できない種類のファイルです。');
    expect(html).toContain(body);
    expect(html).toContain('value="添付 太郎"');
    expect(await db.selectFrom('opinions').select('id').where('body', '=', body).execute()).toEqual([]);
    expect(tempFiles(uploadDir)).toEqual([]);
  });

  it('refuses a 6 MB file with 413 and shows the form again with what was typed', async () => {
    const body = `大きすぎる写真を送ってみます。入力内容は残るはずです。${Date.now()}`;
    const res = await postMultipart(`/reports/${SLUG}/opinions`, opinionForm({ body }, file(Buffer.alloc(6 * 1024 * 1024, 0xff), 'huge.jpg', 'image/jpeg')), '');
    expect(res.status).toBe(413);
    const html = await res.text();
    expect(html).toContain('「huge.jpg」は大きすぎます。添付できるのは1件5 MBまでです。');
    expect(html).toContain(body);
    expect(await db.selectFrom('opinions').select('id').where('body', '=', body).execute()).toEqual([]);
    expect(tempFiles(uploadDir)).toEqual([]);
  });
});

describe('staff attach scans to an opinion', () => {
  it('re-encodes images without EXIF or GPS, caps them at 2,560 px, makes thumbnails, and keeps a PDF', async () => {
    const photo = await jpegWithGps();
    expect((await sharp(photo).metadata()).exif, 'the fixture carries EXIF').toBeDefined();
    const res = await postMultipart(
      `/staff/opinions/${opinionId}/attachments`,
      attachForm(file(photo, '段差の写真.jpg', 'image/jpeg'), file(await png(), 'スクリーンショット.png', 'image/png'), file(pdf(), '手紙.pdf', 'application/pdf')),
    );
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get('location')).toBe(`/staff/opinions/${opinionId}#attachments`);

    const rows = await rowsOf(opinionId);
    expect(rows.map((r) => [r.name, r.type])).toEqual([
      ['段差の写真.jpg', 'image/jpeg'],
      ['スクリーンショット.png', 'image/png'],
      ['手紙.pdf', 'application/pdf'],
    ]);
    expect(rows[0].added_by_id).not.toBeNull();

    const served = await fetch(`${server.url}/staff/attachments/${rows[0].id}`, { headers: { Cookie: cookies.staff } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('content-security-policy')).toContain('sandbox');
    expect(served.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(served.headers.get('cache-control')).toBe('no-store');
    const image = Buffer.from(await served.arrayBuffer());
    const meta = await sharp(image).metadata();
    expect(meta.exif, 'no EXIF (GPS, camera serial) in the stored copy').toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(Math.max(meta.width!, meta.height!)).toBe(2560);
    expect(image.includes(Buffer.from('SN-123456789'))).toBe(false);

    const thumb = await fetch(`${server.url}/staff/attachments/${rows[0].id}?thumbnail=1`, { headers: { Cookie: cookies.staff } });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(thumbMeta.width!, thumbMeta.height!)).toBe(320);

    const document = await fetch(`${server.url}/staff/attachments/${rows[2].id}`, { headers: { Cookie: cookies.staff } });
    expect(document.headers.get('content-type')).toBe('application/pdf');
    expect(document.headers.get('content-disposition')).toMatch(/^attachment; filename="attachment-\d+\.pdf"; filename\*=UTF-8''%E6%89%8B%E7%B4%99\.pdf$/);
    expect(Buffer.from(await document.arrayBuffer()).equals(pdf())).toBe(true);

    // Owner-only on disk, content-addressed.
    const stored = path.join(uploadDir, rows[2].sha256.slice(0, 2), rows[2].sha256);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    expect(fs.statSync(uploadDir).mode & 0o777).toBe(0o700);
    expect(tempFiles(uploadDir)).toEqual([]);

    const audit = await db.selectFrom('audit_log').select(['action', 'after_json']).where('action', '=', 'opinion.attach').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].after_json).toContain('手紙.pdf');
  });

  it('decides the type by the bytes: a PNG named .pdf is a PNG', async () => {
    const res = await postMultipart(`/staff/opinions/${opinionId}/attachments`, attachForm(file(await png(200, 100), 'scan.pdf', 'application/pdf')));
    expect(res.status).toBe(303);
    const rows = await rowsOf(opinionId);
    expect(rows.at(-1)).toMatchObject({ name: 'scan.pdf', type: 'image/png', width: 200, height: 100 });
  });

  it('refuses an HTML file named .jpg with 415 naming the file, and stores nothing', async () => {
    const before = (await rowsOf(opinionId)).length;
    const res = await postMultipart(`/staff/opinions/${opinionId}/attachments`, attachForm(file(Buffer.from('<!DOCTYPE html><script>alert(1)</script>'), 'photo.jpg', 'image/jpeg')));
    expect(res.status).toBe(415);
    expect(await res.text()).toContain('「photo.jpg」は添付できない種類のファイルです。');
    expect(await rowsOf(opinionId)).toHaveLength(before);
    expect(tempFiles(uploadDir)).toEqual([]);
  });

  it('refuses a 6 MB file with 413', async () => {
    const res = await postMultipart(`/staff/opinions/${opinionId}/attachments`, attachForm(file(Buffer.alloc(6 * 1024 * 1024, 1), 'big.jpg', 'image/jpeg')));
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('「big.jpg」は大きすぎます。添付できるのは1件5 MBまでです。');
    expect(tempFiles(uploadDir)).toEqual([]);
  });

  it('stores the same file once', async () => {
    const other = await sendPlainOpinion({ body: '同じ写真を別の意見にも添付します。' });
    const photo = await jpegWithGps({ r: 10, g: 200, b: 10 }, 800, 600);
    for (const id of [opinionId, other]) {
      expect((await postMultipart(`/staff/opinions/${id}/attachments`, attachForm(file(photo, 'same.jpg', 'image/jpeg')))).status).toBe(303);
    }
    const a = (await rowsOf(opinionId)).at(-1)!;
    const b = (await rowsOf(other)).at(-1)!;
    expect(a.sha256).toBe(b.sha256);
    expect(storedFiles(uploadDir).filter((f) => f.endsWith(a.sha256))).toHaveLength(1);
  });
});

describe('who can fetch an attachment', () => {
  it('refuses anyone not signed in as staff', async () => {
    const row = (await rowsOf(opinionId))[0];
    const anonymous = await fetch(`${server.url}/staff/attachments/${row.id}`, { redirect: 'manual' });
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.get('location')).toMatch(/^\/staff\/login/);
    expect(anonymous.headers.get('content-type') ?? '').not.toMatch(/^image\//);
    const forged = await fetch(`${server.url}/staff/attachments/${row.id}?thumbnail=1`, { redirect: 'manual', headers: { Cookie: '__ikenbako_staff=forged' } });
    expect([302, 303]).toContain(forged.status);
    // A citizen holds a receipt, never a staff session: the receipt does not open the file either.
    const receipt = await db.selectFrom('opinions').select('receipt_token').where('id', '=', opinionId).executeTakeFirstOrThrow();
    const html = await (await fetch(`${server.url}/receipts/${receipt.receipt_token}`)).text();
    expect(html).not.toContain(`/staff/attachments/${row.id}`);
  });

  it('only moderators publish an image, and only an image', async () => {
    const rows = await rowsOf(opinionId);
    const image = rows.find((r) => r.type === 'image/jpeg')!;
    const document = rows.find((r) => r.type === 'application/pdf')!;
    const publish = (id: number, cookie: string) => {
      const form = new FormData();
      form.append('intent', 'publish');
      form.append('attachmentId', String(id));
      return postMultipart(`/staff/opinions/${opinionId}/attachments`, form, cookie);
    };
    expect((await publish(image.id, cookies.staff)).status).toBe(403);
    expect((await publish(document.id, cookies.moderator)).status).toBe(400);
    expect((await publish(image.id, cookies.moderator)).status).toBe(303);
    const after = await rowsOf(opinionId);
    expect(after.filter((r) => r.published_at !== null).map((r) => r.id)).toEqual([image.id]);
    const audit = await db.selectFrom('audit_log').select('action').where('action', '=', 'opinion.attachment_publish').execute();
    expect(audit).toHaveLength(1);
    // Public only beside a published reply: this opinion has none yet.
    expect((await fetch(`${server.url}/images/${image.id}`)).status).toBe(404);
    expect((await fetch(`${server.url}/images/${document.id}`)).status).toBe(404);
  });

  it("titles the attachments page in the staff member's language", async () => {
    for (const [lng, title] of [['ja', '添付ファイル | 職員画面 | 意見箱'], ['en', 'Attachments | Staff console | Comment Box'], ['zh-Hans', '附件 | 工作人员页面 | 意见箱']]) {
      const res = await fetch(`${server.url}/staff/opinions/${opinionId}/attachments`, { headers: { Cookie: `${cookies.staff}; lng=${lng}` } });
      expect(res.status, lng).toBe(200);
      expect(await res.text(), lng).toContain(`<title>${title}</title>`);
    }
  });

  it('shows thumbnails and links on the staff opinion page', async () => {
    const rows = await rowsOf(opinionId);
    const html = await (await fetch(`${server.url}/staff/opinions/${opinionId}`, { headers: { Cookie: cookies.staff } })).text();
    expect(html).toContain(`src="/staff/attachments/${rows[0].id}?thumbnail=1"`);
    expect(html).toContain(`href="/staff/attachments/${rows[2].id}"`);
    expect(html).toContain('手紙.pdf');
  });
});

describe('a body far over the limit', () => {
  it('cuts a 200 MB upload off at the limit without the server growing by anything like it', async () => {
    const pid = server.proc.pid!;
    const before = rssOf(pid);
    let peak = before;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssOf(pid));
      } catch {
        // The server is gone: the request below fails and says so (and the server's last lines are printed).
      }
    }, 20);
    const boundary = '----ikenbako200mb';
    const total = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(256 * 1024, 0x41);
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered: number | null = null;
      const req = http.request(`${server.url}/staff/opinions/${opinionId}/attachments`, {
        method: 'POST',
        headers: { Cookie: cookies.staff, Origin: server.url, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = res.statusCode ?? 0;
        res.resume();
        res.on('end', () => {
          req.destroy();
          resolve({ status: answered!, sent });
        });
      });
      req.on('error', (error) => (answered !== null ? resolve({ status: answered, sent }) : reject(error)));
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nattach\r\n`);
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
      const pump = () => {
        while (answered === null && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (answered === null) req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    clearInterval(sampler);
    expect(status).toBe(413);
    expect(sent, 'the answer came before the whole body was sent').toBeLessThan(total);
    expect(peak - before, `RSS grew from ${before} to ${peak}`).toBeLessThan(40 * 1024 * 1024);
    expect(tempFiles(uploadDir)).toEqual([]);
    // The server still answers.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('a refused upload whose body is still arriving', () => {
  it('is answered 413 to a client that reads only after it has sent its body', async () => {
    // Had the server closed at once, the bytes still arriving would be answered
    // with a reset, and the reset would wipe the unread answer.
    const { answer, writeError } = await postReadingLate(server.url, `/staff/opinions/${opinionId}/attachments`, {
      headers: { Cookie: cookies.staff, Origin: server.url, 'Content-Type': 'multipart/form-data; boundary=----ikenbakolate' },
      declaredBytes: 200 * 1024 * 1024,
      sendBytes: 16 * 1024 * 1024,
    });
    expect(answer.split('\r\n')[0], `write error: ${writeError}`).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer).toMatch(/^connection: close$/im);
    expect(tempFiles(uploadDir)).toEqual([]);
  });
});

describe('anonymisation', () => {
  /** An admin erases the personal data of the person with this address, in this opinion (`/staff/privacy`). */
  const erase = (email: string, opinionId: number) =>
    fetch(`${server.url}/staff/privacy`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookies.admin, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'erase', query: email, opinionIds: String(opinionId) }),
    });

  it('deletes the attachments of the opinions whose personal data is erased', async () => {
    const id = await sendPlainOpinion({ body: '写真付きの意見を消去の対象にします。', email: 'erase.me@example.jp' });
    const photo = await jpegWithGps({ r: 1, g: 2, b: 250 }, 640, 480);
    expect((await postMultipart(`/staff/opinions/${id}/attachments`, attachForm(file(photo, 'mine.jpg', 'image/jpeg')))).status).toBe(303);
    const [row] = await rowsOf(id);
    const files = [row.sha256, row.thumbnail_sha256!].map((h) => path.join(uploadDir, h.slice(0, 2), h));
    for (const f of files) expect(fs.existsSync(f)).toBe(true);

    expect((await erase('erase.me@example.jp', id)).status).toBe(200);
    expect(await rowsOf(id)).toEqual([]);
    for (const f of files) expect(fs.existsSync(f)).toBe(false);
  });

  it('takes an image published beside a reply off the cached public pages with the erasure', async () => {
    const id = await sendPlainOpinion({ body: '公開された写真の意見を消去の対象にします。', email: 'erase.published@example.jp' });
    const photo = await jpegWithGps({ r: 250, g: 2, b: 1 }, 640, 480);
    expect((await postMultipart(`/staff/opinions/${id}/attachments`, attachForm(file(photo, 'step.jpg', 'image/jpeg')))).status).toBe(303);
    const [row] = await rowsOf(id);
    const publish = new FormData();
    publish.append('intent', 'publish');
    publish.append('attachmentId', String(row.id));
    expect((await postMultipart(`/staff/opinions/${id}/attachments`, publish, cookies.moderator)).status).toBe(303);
    const reply = await fetch(`${server.url}/staff/opinions/${id}/reply`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Cookie: cookies.moderator, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ intent: 'publish', body: '写真の段差は今月中に直します。' }),
    });
    expect(reply.status).toBe(302);
    const pages = [`/reports/${SLUG}`, `/reports/${SLUG}/sections/2/replies`];
    const img = `src="/images/${row.id}"`;
    for (const p of pages) expect(await (await fetch(server.url + p)).text(), p).toContain(img);
    expect((await fetch(`${server.url}/images/${row.id}`)).status).toBe(200);

    expect((await erase('erase.published@example.jp', id)).status).toBe(200);
    expect((await fetch(`${server.url}/images/${row.id}`)).status).toBe(404);
    // The report page is kept by the page cache: the erasure's commit bumps its version (seen within a second).
    for (const p of pages) await expect.poll(async () => (await (await fetch(server.url + p)).text()).includes(img), { timeout: 5_000 }).toBe(false);
    // The reply itself stays published.
    expect(await (await fetch(server.url + pages[0])).text()).toContain('写真の段差は今月中に直します。');
  });
});
