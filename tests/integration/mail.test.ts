// Mail through the outbox, against a real SMTP server (smtp-server + mailparser).
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion } from '~/models/opinions.server';
import { openDatabase, type DB } from '~/server/db.server';
import { createMailTransport } from '~/mail/transport.server';
import { deliverDueMessages } from '~/mail/outbox-delivery.server';
import { backoffDelayMs, countOutbox } from '~/mail/outbox.server';
import { createTestDb } from '../helpers/db';
import { postForm, waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { startTestSmtp, emlFiles, type TestSmtp } from '../helpers/smtp';

const SLUG = 'xiuzhou-inspection-2023';
const PHONE = '0573-827222911';
const MAILBOX = '嘉興市秀洲区洪興路1765号秀洲区行政センター527室';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const SECTION_3_TITLE = '「区委員会は質の高い発展と共同富裕モデル区の建設を推進する上で不足がある」問題の改善状況';

async function post(server: TestServer, fields: Record<string, string>) {
  const res = await postForm(`${server.url}/reports/${SLUG}/opinions`, fields);
  expect(res.status).toBe(303);
  const receipt = await fetch(server.url + res.headers.get('location'));
  return TRACKING.exec(await receipt.text())![0];
}

// The server's database, through Kysely (a SQLite file or, under npm run test:pg, a PostgreSQL URL).
const opened = new Map<string, DB>();
function dbOf(server: TestServer): DB {
  let db = opened.get(server.databasePath);
  if (!db) opened.set(server.databasePath, (db = openDatabase(server.databasePath).db));
  return db;
}
afterAll(async () => {
  for (const db of opened.values()) await db.destroy();
});

async function countOutboxRows(server: TestServer, status: 'pending' | 'sent' | 'failed', opinionId?: number): Promise<number> {
  let query = dbOf(server).selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status);
  if (opinionId !== undefined) query = query.where('opinion_id', '=', opinionId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/** Waits until `fn` returns something truthy (see waitFor), naming `what` on a timeout. */
function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  return waitFor(fn, { timeout: timeoutMs, interval: 100, message: what }) as Promise<NonNullable<T>>;
}

function header(mail: ParsedMail, name: string): string {
  const v = mail.headers.get(name);
  return typeof v === 'string' ? v : JSON.stringify(v ?? '');
}

describe('over SMTP', () => {
  let smtp: TestSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    server = await startTestServer({ SMTP_URL: smtp.url, OFFICE_EMAIL: 'office@example.gov, desk@example.gov', RATE_LIMIT_OPINIONS: '100' });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('sends the office everything needed and the citizen an acknowledgement, well encoded', async () => {
    const body = '強化プロジェクトの進み具合を知りたいです。<script>alert("x")</script> & 以上。';
    const trackingNumber = await post(server, {
      section: '3',
      item: '2',
      body,
      name: '山田 太郎',
      email: 'taro@example.jp',
      phone: '090-1234-5678',
      replyWanted: 'on',
      consent: 'on',
    });
    const opinionId = (await dbOf(server).selectFrom('opinions').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirstOrThrow()).id;
    await smtp.waitFor(3);
    const mine = smtp.messages.filter((m) => (m.subject ?? '').includes(trackingNumber));
    expect(mine).toHaveLength(3);

    const office = mine.filter((m) => m.subject === `[意見 ${trackingNumber}] 第三項 ${SECTION_3_TITLE}`);
    expect(office.map((m) => (m.to as { text: string }).text).sort()).toEqual(['desk@example.gov', 'office@example.gov']);
    const o = office[0];
    expect(o.text).toContain(body);
    // The target is named the one way (formatTarget): titles quoted once, without the closing 。.
    expect(o.text).toContain('(二)「強化プロジェクトの計画」');
    // A deadline is the end of a day: the date only.
    expect(o.text).toMatch(/回答期限:\d{4}年\d{1,2}月\d{1,2}日まで\n/);
    expect(o.text).toContain('山田 太郎');
    expect(o.text).toContain('taro@example.jp');
    expect(o.text).toContain('090-1234-5678');
    expect(o.text).toContain('ウェブ');
    expect(o.text).toContain('回答の希望:あり');
    expect(o.text).toMatch(/受付日時[::]\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}\(北京時間\)/);
    expect(o.text).toContain(`http://localhost:3000/staff/opinions/${opinionId}`);
    expect(o.text).toContain(PHONE);
    expect(o.text).toContain(MAILBOX);
    // The HTML part escapes what the person typed.
    expect(o.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 以上。');
    expect(o.html).not.toContain('<script>');
    expect(o.html).toContain(`href="http://localhost:3000/staff/opinions/${opinionId}"`);
    // Non-ASCII subject and bodies survive the trip (encoded words, UTF-8 parts).
    expect(header(o, 'content-type')).toContain('multipart/alternative');
    expect(o.messageId).toMatch(/^<[0-9a-f-]{36}@localhost>$/);

    const ack = mine.find((m) => m.subject === `【意見箱】ご意見を受け付けました(受付番号 ${trackingNumber})`)!;
    expect((ack.to as { text: string }).text).toBe('taro@example.jp');
    // Never greeted with the typed name (issue 11): anyone can type anyone's address.
    expect(ack.text).toContain('ご意見をお寄せいただいた方へ');
    expect(ack.text).not.toContain('山田');
    expect(ack.html).not.toContain('山田');
    expect(ack.text).toContain(body);
    expect(ack.text).toContain(`http://localhost:3000/track?number=${trackingNumber}`);
    expect(ack.text).toContain(PHONE);
    expect(ack.text).toContain(MAILBOX);
    expect(ack.text).not.toContain('/staff/');
    expect(ack.html).toContain('&lt;script&gt;');

    // Every Message-ID is the one stored in the outbox row, and all are distinct.
    const stored = await dbOf(server).selectFrom('outbox_messages').select(['message_id', 'status']).where('opinion_id', '=', opinionId).orderBy('id').execute();
    expect(stored.map((r) => r.message_id).sort()).toEqual(mine.map((m) => m.messageId).sort());
    expect(new Set(stored.map((r) => r.message_id)).size).toBe(3);
    await until('rows marked sent', async () => (await countOutboxRows(server, 'sent', opinionId)) === 3);
  });

  it('titles an opinion on the whole notice 全体 and sends no acknowledgement without an email', async () => {
    const trackingNumber = await post(server, { section: '0', body: '通報全体について、わかりやすい説明をありがとうございました。', consent: 'on' });
    const messages = await until('office messages', () => {
      const found = smtp.messages.filter((m) => (m.subject ?? '').includes(trackingNumber));
      return found.length === 2 && found;
    });
    expect(messages.map((m) => m.subject)).toEqual([`[意見 ${trackingNumber}] 全体`, `[意見 ${trackingNumber}] 全体`]);
    expect(messages[0].text).toContain('お名前:(記入なし)');
  });

  it('lets nothing typed into the name add or break a header', async () => {
    const before = smtp.messages.length;
    const trackingNumber = await post(server, {
      section: '1',
      body: 'ヘッダー注入の試みを含む意見ですが、本文として扱われるべきです。',
      name: '悪意\r\nBcc: evil@example.com\r\nSubject: hacked',
      email: 'victim@example.jp',
      consent: 'on',
    });
    await smtp.waitFor(before + 3);
    const mine = smtp.messages.filter((m) => (m.subject ?? '').includes(trackingNumber));
    expect(mine).toHaveLength(3);
    for (const m of mine) {
      expect(m.headers.has('bcc')).toBe(false);
      expect(m.subject).not.toContain('hacked');
      const to = (m.to as { value: Array<{ address: string }> }).value.map((v) => v.address);
      expect(to).not.toContain('evil@example.com');
    }
    expect(smtp.messages.some((m) => JSON.stringify(m.to).includes('evil@'))).toBe(false);
  });

  it('quotes at most 500 characters of the opinion in the acknowledgement, with (以下略), and links none of it (issue 11)', async () => {
    const body = `お得な情報はこちら https://phish.example/login と www.phish.example、問い合わせは win@phish.example へ。${'あ'.repeat(520)}末尾`;
    const trackingNumber = await post(server, { section: '4', body, email: 'relay-target@example.jp', consent: 'on' });
    const ack = await until('the acknowledgement', () => smtp.messages.find((m) => (m.subject ?? '').includes(trackingNumber) && JSON.stringify(m.to).includes('relay-target@')));
    const copy = (s: string) => s.slice(s.indexOf('お寄せいただいた意見'), s.indexOf('(以下略)') + '(以下略)'.length);
    expect(ack.text).toContain('(以下略)');
    expect(ack.text).not.toContain('末尾');
    expect(copy(ack.text!)).toContain('https[:]//phish[.]example/login');
    expect(copy(ack.text!)).toContain('win[at]phish[.]example');
    for (const part of [ack.text!, String(ack.html)]) {
      expect(part).not.toContain('phish.example');
      expect(part).not.toMatch(/https?:\/\/phish/);
    }
    // The HTML part links only to our own tracking page.
    expect([...String(ack.html).matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1])).toEqual([`http://localhost:3000/track?number=${trackingNumber}`]);
    // The office gets the opinion whole.
    const office = smtp.messages.find((m) => (m.subject ?? '').includes(trackingNumber) && !JSON.stringify(m.to).includes('relay-target@'))!;
    expect(office.text).toContain('末尾');
  });

  it('keeps CR/LF out of headers even when a caller passes them in', async () => {
    const transport = createMailTransport({ smtpUrl: smtp.url, from: '意見箱 <no-reply@localhost>' });
    const before = smtp.messages.length;
    await transport.send({
      to: 'office@example.gov\r\nBcc: evil@example.com',
      subject: '件名\r\nBcc: evil@example.com',
      text: '本文',
      html: '<p>本文</p>',
      messageId: '<direct-test@localhost>',
    });
    transport.close();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe('件名 Bcc: evil@example.com');
    expect(mail.messageId).toBe('<direct-test@localhost>');
  });
});

describe('when the SMTP server is down', () => {
  let smtp: TestSmtp | undefined;
  let server: TestServer;
  let port: number;
  beforeAll(async () => {
    const probe = await startTestSmtp();
    port = probe.port;
    await probe.stop();
    server = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('stores the opinion, keeps its messages pending, then delivers each exactly once when SMTP is back', async () => {
    const trackingNumber = await post(server, { section: '2', body: 'メールサーバーが止まっていても失われない意見です。', email: 'kept@example.jp', consent: 'on' });
    expect(await dbOf(server).selectFrom('opinions').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirst()).toBeTruthy();

    // The worker tries, fails, and leaves both messages pending for a retry.
    await until('a failed first attempt', () =>
      dbOf(server)
        .selectFrom('outbox_messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .where('attempts', '>=', 1)
        .where('last_error', 'is not', null)
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n) === 2),
    );
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { outbox: { pending: number; failed: number } };
    expect(health.outbox).toEqual({ pending: 2, failed: 0, bounced24h: 0 });

    smtp = await startTestSmtp(port);
    // Let the first backoff (1 minute) pass without waiting for it.
    await dbOf(server).updateTable('outbox_messages').set({ next_attempt_at: new Date(Date.now() - 1000).toISOString() }).where('status', '=', 'pending').execute();

    await smtp.waitFor(2);
    await until('rows marked sent', async () => (await countOutboxRows(server, 'sent')) === 2);
    // The worker polls again: a later opinion's office mail arrives after it,
    // and by then nothing of the first two has been sent again.
    await post(server, { section: '3', body: '送信済みの通知が再送されないことを確かめる、後の意見です。', consent: 'on' });
    await smtp.waitFor(3);
    await until('the later row marked sent', async () => (await countOutboxRows(server, 'sent')) === 3);
    const ids = smtp.messages.map((m) => m.messageId);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const stored = await dbOf(server).selectFrom('outbox_messages').select('message_id').orderBy('id').execute();
    expect(ids.sort()).toEqual(stored.map((r) => r.message_id).sort());
    const after = (await (await fetch(`${server.url}/healthz`)).json()) as { outbox: { pending: number; failed: number } };
    expect(after.outbox).toEqual({ pending: 0, failed: 0, bounced24h: 0 });
  });
});

describe('delivery schedule (in-process, with a moving clock)', () => {
  let smtp: TestSmtp;
  let testDb: Awaited<ReturnType<typeof createTestDb>>;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    testDb = await createTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
    await smtp?.stop();
  });

  async function newOpinion(email: string | null) {
    const report = await testDb.db.selectFrom('reports').select('id').executeTakeFirstOrThrow();
    return createOpinion(testDb.db, {
      reportId: report.id,
      sectionNumber: 4,
      itemNumber: null,
      body: '配信スケジュールを確かめるための意見です。',
      name: null,
      email,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'phone',
      receivedAt: new Date(),
      clientHash: null,
      userAgent: null,
      formToken: null,
      recordedById: null,
    });
  }

  it('retries a message the server refuses with 550 on the backoff schedule, then marks it failed', async () => {
    const { id } = await newOpinion(null);
    const transport = createMailTransport({ smtpUrl: smtp.url });
    smtp.rejectWith(550);
    let now = new Date(Date.now() + 1000);
    const results = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      // Just before the next attempt is due, nothing happens.
      if (attempt > 1) {
        const early = await deliverDueMessages(testDb.db, transport, new Date(now.getTime() - 1000), { maxAttempts: 6 });
        expect(early).toEqual({ sent: 0, failed: 0, retried: 0 });
      }
      results.push(await deliverDueMessages(testDb.db, transport, now, { maxAttempts: 6 }));
      const row = await testDb.db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', id).executeTakeFirstOrThrow();
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toContain('550');
      if (attempt < 6) {
        expect(row.status).toBe('pending');
        expect(new Date(row.next_attempt_at).getTime() - now.getTime()).toBe(backoffDelayMs(attempt));
        now = new Date(row.next_attempt_at);
      } else {
        expect(row.status).toBe('failed');
      }
    }
    smtp.rejectWith(null);
    transport.close();
    expect(results.slice(0, 5)).toEqual(Array(5).fill({ sent: 0, failed: 0, retried: 1 }));
    expect(results[5]).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(await countOutbox(testDb.db)).toEqual({ pending: 0, failed: 1 });
    // A failed message is never tried again.
    expect(await deliverDueMessages(testDb.db, createMailTransport({ smtpUrl: smtp.url }), new Date(now.getTime() + 86_400_000 * 30))).toEqual({ sent: 0, failed: 0, retried: 0 });
  });

  it('keeps one Message-ID across a failed attempt and the successful retry', async () => {
    const { id } = await newOpinion('retry@example.jp');
    const transport = createMailTransport({ smtpUrl: smtp.url });
    const start = new Date(Date.now() + 1000);
    smtp.rejectWith(550);
    expect(await deliverDueMessages(testDb.db, transport, start)).toEqual({ sent: 0, failed: 0, retried: 2 });
    smtp.rejectWith(null);
    const before = smtp.messages.length;
    expect(await deliverDueMessages(testDb.db, transport, new Date(start.getTime() + backoffDelayMs(1)))).toEqual({ sent: 2, failed: 0, retried: 0 });
    transport.close();
    const rows = await testDb.db.selectFrom('outbox_messages').select(['message_id', 'status', 'attempts']).where('opinion_id', '=', id).orderBy('id').execute();
    const received = smtp.messages.slice(before).map((m) => m.messageId).sort();
    expect(received).toEqual(rows.map((r) => r.message_id).sort());
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 2)).toBe(true);
  });
});

describe('without SMTP_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes each message as an .eml file into MAIL_DIR with one log line', async () => {
    const trackingNumber = await post(server, { section: '13', body: 'ファイルに書き出されるメールの確認です。', email: 'file@example.jp', consent: 'on' });
    const files = await until('two .eml files', () => {
      const list = emlFiles(server.mailDir);
      return list.length === 2 && list;
    });
    for (const f of files) expect(f).toMatch(/^\d{4}-\d{2}-\d{2}T[\d-]+Z-[0-9a-f-]{36}\.eml$/);
    const raw = files.map((f) => fs.readFileSync(path.join(server.mailDir, f)));
    // Each message's multipart boundary is its own (drawn from our random pool, not repeated).
    const boundaries = raw.map((r) => /boundary="(--_NmP-[0-9a-f]{16})-Part_1"/.exec(r.toString())?.[1]);
    expect(boundaries.every(Boolean)).toBe(true);
    expect(new Set(boundaries).size).toBe(2);
    const mails = await Promise.all(raw.map((r) => simpleParser(r)));
    const subjects = mails.map((m) => m.subject).sort();
    expect(subjects[0]).toMatch(new RegExp(`^\\[意見 ${trackingNumber}\\] 第十三項 `));
    expect(subjects[1]).toBe(`【意見箱】ご意見を受け付けました(受付番号 ${trackingNumber})`);
    expect(mails.every((m) => m.text?.includes('ファイルに書き出されるメールの確認です。'))).toBe(true);
    await until('log lines', () => (server.logs().match(/"msg":"mail written"/g) ?? []).length === 2);
  });

  it('makes MAIL_DIR again, owner-only, when it was moved away while the server runs', async () => {
    fs.rmSync(server.mailDir, { recursive: true, force: true });
    await post(server, { section: '2', body: 'フォルダが消えた後のメールの確認です。', email: 'again@example.jp', consent: 'on' });
    const files = await until('two new .eml files', () => {
      const list = emlFiles(server.mailDir);
      return list.length === 2 && list;
    });
    expect(fs.statSync(server.mailDir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(fs.statSync(path.join(server.mailDir, f)).mode & 0o777).toBe(0o600);
    const mails = await Promise.all(files.map((f) => simpleParser(fs.readFileSync(path.join(server.mailDir, f)))));
    expect(mails.every((m) => m.text?.includes('フォルダが消えた後のメールの確認です。'))).toBe(true);
    // Each message was written under another name and renamed when whole: nothing else is left.
    await until('both logged', () => (server.logs().match(/"msg":"mail written"/g) ?? []).length === 4);
    expect(fs.readdirSync(server.mailDir).filter((f) => !f.endsWith('.eml'))).toEqual([]);
  });
});
