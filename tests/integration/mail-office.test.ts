// The office's mail end to end through the real server (node server.js) and a
// real SMTP server: two servers on one database send one digest and one
// reminder (a restart sends no more), every message carries its VERP
// Return-Path, OFFICE_MAIL_MODE=digest still acknowledges citizens without a
// per-opinion office mail, and a bounce piped to mail:inbound shows in
// /healthz and in the staff banner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
process.env.OFFICE_MAIL_MODE = 'digest';
import { createOpinion } from '~/models/opinions.server';
import type { DB } from '~/server/db.server';
import { endOfLocalDay, toLocalDay } from '~/utils/local-time';
import { createTestDb, type TestDb } from '../helpers/db';
import { onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';

const ROOT = path.resolve(__dirname, '../..');
const SLUG = 'xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
let smtp: TestSmtp;
let dbFile: string;
/** The database both servers share (a SQLite file, or under npm run test:pg a PostgreSQL database), kept open to read it. */
let t: TestDb;
let db: DB;
let env: Record<string, string>;
const tracking: string[] = [];

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isDigest = (m: ParsedMail) => (m.subject ?? '').startsWith('[意見箱 日次まとめ');
const isReminder = (m: ParsedMail) => (m.subject ?? '').startsWith('[本日が回答期限');
const pending = async () =>
  Number((await db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
const checkedAtStart = (server: TestServer) => server.logs().includes('"msg":"office mail checked at start"');

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  dbFile = t.file;
  const reportId = (await t.db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const unitId = (
    await t.db.insertInto('units').values({ name: '企画課', email: 'kikaku@example.gov', retired_at: null, created_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow()
  ).id;
  for (const body of ['バス停の屋根を直してください。', '公園の照明が暗いです。']) {
    const o = await createOpinion(t.db, {
      reportId,
      sectionNumber: 3,
      itemNumber: 1,
      body,
      name: null,
      email: null,
      phone: null,
      replyWanted: false,
      publicOk: false,
      consent: true,
      channel: 'web',
      receivedAt: new Date(),
      clientHash: null,
      userAgent: null,
      formToken: null,
      recordedById: null,
    });
    tracking.push(o.trackingNumber);
  }
  // The first one is due today and assigned: its unit gets the due-date reminder.
  await t.db
    .updateTable('opinions')
    .set({ unit_id: unitId, due_at: endOfLocalDay(toLocalDay(new Date()))! })
    .where('tracking_number', '=', tracking[0])
    .execute();
  // An account exists, so neither server creates the first admin (they would race to).
  await createTestUser(dbFile, 'admin', { email: 'admin@example.gov', password: 'correct horse battery staple' });
  smtp = await startTestSmtp();
  env = {
    DATABASE_PATH: dbFile,
    SMTP_URL: smtp.url,
    OFFICE_MAIL_MODE: 'digest',
    DIGEST_HOUR: '0',
    OFFICE_EMAIL: 'office@example.gov',
    MAIL_BOUNCE_ADDRESS: 'bounce@ikenbako.example.org',
    PUBLIC_URL: 'https://ikenbako.example.org',
  };
});
afterAll(async () => {
  await smtp?.stop();
  await t?.close();
});

describe('office mail through the server', () => {
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.stop();
  });

  it('two servers on one database send one digest and one reminder, each with a VERP Return-Path', async () => {
    const [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
    try {
      await until('both servers checked', () => checkedAtStart(a) && checkedAtStart(b));
      await until('the outbox drained', async () => (await pending()) === 0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const digests = smtp.messages.filter(isDigest);
    expect(digests).toHaveLength(1);
    expect(digests[0].to).toMatchObject({ text: 'office@example.gov' });
    for (const n of tracking) expect(digests[0].text).toContain(n);
    expect(digests[0].text).toContain('https://ikenbako.example.org/staff/opinions/');
    expect(smtp.messages.filter(isReminder)).toHaveLength(1);
    const uuid = /^<([^@]+)@/.exec(digests[0].messageId!)![1];
    expect(digests[0].headers.get('return-path')).toMatchObject({ value: [{ address: `bounce+${uuid}@ikenbako.example.org` }] });
    expect(Number((await db.selectFrom('office_digests').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(1);
  });

  it('a restart sends no second digest or reminder', async () => {
    server = await startTestServer(env);
    await until('the restarted server checked', () => checkedAtStart(server!));
    expect(server.logs()).toMatch(/"msg":"office mail checked at start".*"digest":"already-done"/);
    expect(await pending()).toBe(0);
    expect(smtp.messages.filter(isDigest)).toHaveLength(1);
    expect(smtp.messages.filter(isReminder)).toHaveLength(1);
  });

  it('in digest mode acknowledges the citizen but sends the office no per-opinion mail', async () => {
    const before = smtp.messages.length;
    const res = await fetch(`${server!.url}/reports/${SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ section: '2', item: '', body: '歩道の段差を解消してください。', name: '', email: 'walker@example.net', phone: '', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const receipt = await (await fetch(server!.url + res.headers.get('location'))).text();
    const number = TRACKING.exec(receipt)![0];
    await until('the acknowledgement', () => smtp.messages.slice(before).find((m) => m.to && 'text' in m.to && m.to.text === 'walker@example.net'));
    const kinds = await db
      .selectFrom('outbox_messages as m')
      .innerJoin('opinions as o', 'o.id', 'm.opinion_id')
      .select('m.kind')
      .where('o.tracking_number', '=', number)
      .execute();
    expect(kinds).toEqual([{ kind: 'citizen_ack' }]);
  });

  it('a bounce of the office address piped to mail:inbound shows in /healthz and on every staff page', async () => {
    const digest = smtp.messages.find(isDigest)!;
    const uuid = /^<([^@]+)@/.exec(digest.messageId!)![1];
    const dsn = fs
      .readFileSync(path.join(ROOT, 'tests/fixtures/mail/postfix-hard-bounce.eml'), 'utf8')
      .replaceAll('6f1c2a4e-8b3d-4c5e-9f70-1a2b3c4d5e01', uuid)
      .replaceAll('citizen.typo@example.net', 'office@example.gov');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mail-inbound.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), ...env, ...(onPostgres ? { DATABASE_URL: dbFile } : {}) },
        stdio: ['pipe', 'ignore', 'inherit'],
      });
      child.on('exit', resolve);
      child.stdin!.end(dsn);
    });
    expect(code).toBe(0);
    const health = await (await fetch(`${server!.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', outbox: { pending: 0, failed: 0, bounced24h: 1 } });

    const cookie = await signIn(server!.url, 'admin@example.gov', 'correct horse battery staple');
    // React separates adjacent text with <!-- --> in server HTML.
    const page = (await (await fetch(`${server!.url}/staff`, { headers: { Cookie: cookie } })).text()).replaceAll('<!-- -->', '');
    expect(page).toContain('メールが届かないアドレスがあります');
    expect(page).toContain('事務局のアドレス office@example.gov');
  });
});
