// Two app processes on one database (issue #12): what one instance counts,
// stores or signs holds on the other. Both real servers (node server.js) share
// a PostgreSQL database under npm run test:pg, or one SQLite file otherwise,
// and deliver to one real SMTP server with both outbox workers running.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH, tempDir } from '../helpers/db';
import { postForm, waitFor } from '../helpers/http';
import { createPostgresDatabase, dropPostgresDatabase, onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp';
import { createTestUser, signIn } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let smtp: TestSmtp;
let target: string;
let a: TestServer;
let b: TestServer;
let db: DB;

beforeAll(async () => {
  smtp = await startTestSmtp();
  // One empty database, both servers started on it at once: they import the
  // bundled notice and create the first admin together.
  target = onPostgres ? await createPostgresDatabase() : path.join(tempDir('ikenbako-shared-'), 'ikenbako.db');
  const env = {
    DATABASE_PATH: target,
    SMTP_URL: smtp.url,
    OFFICE_EMAIL: 'office@example.gov',
    RATE_LIMIT_OPINIONS: '3',
    // Each test speaks as clients of its own (X-Forwarded-For from one trusted proxy).
    TRUST_PROXY: '1',
    // Neither server is told a secret: they must agree on the one they store.
    SESSION_SECRET: '',
  };
  // On SQLite the second starts once the first has migrated: Kysely's
  // migrator locks within one process only, and two processes migrating one
  // new file at once collide (PostgreSQL's migrator takes an advisory lock).
  if (onPostgres) [a, b] = await Promise.all([startTestServer(env), startTestServer(env)]);
  else [a, b] = [await startTestServer(env), await startTestServer(env)];
  db = openDatabase(target).db;
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.destroy();
  await smtp?.stop();
  if (onPostgres && target) await dropPostgresDatabase(target);
});

function opinion(server: TestServer, client: string, body: string) {
  return postForm(`${server.url}/reports/${SLUG}/opinions`, { section: '3', body, consent: 'on' }, { headers: { 'X-Forwarded-For': client } });
}

async function count(table: 'users' | 'reports' | 'opinions'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe('two instances starting together on an empty database', () => {
  it('make one notice and one first admin', async () => {
    expect(await count('reports')).toBe(1);
    expect(await count('users')).toBe(1);
    const created = [a, b].filter((s) => s.logs().includes('"msg":"initial admin created"'));
    expect(created).toHaveLength(1);
  });
});

describe('the outbox with a worker in each instance', () => {
  it('delivers each office mail exactly once (by Message-ID)', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const server = i % 2 ? b : a;
      const res = await opinion(server, `198.51.100.${10 + (i % 6)}`, `二つのサーバーで受け付ける意見その${i + 1}です。届くのは一度だけです。`);
      expect(res.status).toBe(303);
      const receipt = await (await fetch(server.url + res.headers.get('location'))).text();
      numbers.push(TRACKING.exec(receipt)![0]);
    }
    const officeRows = () => db.selectFrom('outbox_messages').select(['message_id', 'status']).where('kind', '=', 'office_notification').execute();
    await waitFor(
      async () => {
        const r = await officeRows();
        return r.length === 12 && r.every((m) => m.status === 'sent');
      },
      { timeout: 30_000, message: 'every office notification marked sent' },
    );
    const rows = await officeRows();
    const office = smtp.messages.filter((m) => numbers.some((n) => (m.subject ?? '').includes(n)));
    const ids = office.map((m) => m.messageId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    expect([...ids].sort()).toEqual(rows.map((r) => r.message_id).sort());
    for (const n of numbers) expect(office.filter((m) => (m.subject ?? '').includes(n))).toHaveLength(1);
  });
});

describe('limits counted in the database', () => {
  it('an opinion rate limit reached through one instance holds on the other', async () => {
    const client = '203.0.113.21';
    for (let i = 0; i < 3; i++) {
      expect((await opinion(i % 2 ? b : a, client, `制限を確かめる意見その${i + 1}です。よろしくお願いします。`)).status).toBe(303);
    }
    const refused = await opinion(b, client, '四通目は、もう一つのサーバーでも断られるはずです。');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await opinion(a, client, '五通目も、最初のサーバーで断られるはずです。')).status).toBe(429);
    // Another client is not affected.
    expect((await opinion(b, '203.0.113.22', '別の端末からの意見は受け付けられます。')).status).toBe(303);
  });

  it('the /track limit reached through one instance holds on the other', async () => {
    const track = (server: TestServer) =>
      fetch(`${server.url}/track?number=XZ-2026-0000-0000`, { headers: { 'X-Forwarded-For': '203.0.113.31' } });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await track(i < 20 ? a : b)).status);
    expect(statuses.every((s) => s === 404)).toBe(true);
    const refused = await track(b);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await track(a)).status).toBe(429);
  });

  it('a sign-in lockout earned on one instance holds on the other', async () => {
    const victim = await createTestUser(target, 'staff');
    const login = (server: TestServer, password: string, client: string) =>
      postForm(`${server.url}/staff/login`, { email: victim.email, password, redirectTo: '/staff' }, { headers: { 'X-Forwarded-For': client } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(a, `wrong-password-${i}`, `192.0.2.${40 + i}`)).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429]);
    // The right password, from yet another client, through the other instance: still waiting.
    expect((await login(b, victim.password, '192.0.2.49')).status).toBe(429);
  });
});

describe('double submissions', () => {
  it('the same opinion sent through both instances is stored once, and both answer with its receipt', async () => {
    const before = await count('opinions');
    const client = '203.0.113.51';
    const body = '二つのサーバーに同じ意見を二度送ってしまいました。一件として扱ってください。';
    const first = await opinion(a, client, body);
    const second = await opinion(b, client, body);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await count('opinions')).toBe(before + 1);
  });
});

describe('sessions', () => {
  it('a staff session created on one instance works on the other', async () => {
    const staff = await createTestUser(target, 'staff');
    const cookie = await signIn(a.url, staff.email, staff.password, { 'X-Forwarded-For': '192.0.2.60' });
    const res = await fetch(`${b.url}/staff`, { headers: { Cookie: cookie, 'X-Forwarded-For': '192.0.2.60' }, redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(staff.displayName);
  });
});

describe('the report page', () => {
  it('adds up the views counted by both instances', async () => {
    const viewCount = async () => (await db.selectFrom('reports').select('view_count').where('slug', '=', SLUG).executeTakeFirstOrThrow()).view_count;
    const before = await viewCount();
    const view = (server: TestServer) => fetch(`${server.url}/reports/${SLUG}`, { headers: { 'User-Agent': BROWSER } }).then((r) => r.text());
    for (let i = 0; i < 4; i++) await view(a);
    for (let i = 0; i < 3; i++) await view(b);
    // Each instance writes what it counted every few seconds, added to what is stored.
    await waitFor(async () => (await viewCount()) === before + 7, { timeout: 20_000, message: () => 'seven more views stored' });
  });

  it('shows a notice revised through one instance on the other within a second or two', async () => {
    const page = async (server: TestServer) => (await fetch(`${server.url}/reports/${SLUG}`)).text();
    // The other instance has the page cached as it was.
    expect(await page(b)).not.toContain('政策支援を一層強化する。');
    const admin = await createTestUser(target, 'admin');
    const cookie = await signIn(a.url, admin.email, admin.password, { 'X-Forwarded-For': '192.0.2.70' });
    const reportId = (await db.selectFrom('reports').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
    const original = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8');
    const revised = original.replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。');
    expect(revised).not.toBe(original);
    const form = new FormData();
    for (const [k, v] of Object.entries({ intent: 'publish', baseRevisionNo: '1', text: revised })) form.append(k, v);
    const published = await fetch(`${a.url}/staff/notices/${reportId}/revise`, {
      method: 'POST',
      redirect: 'manual',
      headers: { Origin: a.url, Cookie: cookie, 'X-Forwarded-For': '192.0.2.70' },
      body: form,
    });
    expect(published.status).toBe(302);
    const at = Date.now();
    await waitFor(async () => (await page(b)).includes('政策支援を一層強化する。'), { timeout: 2_500, interval: 100, message: 'the revision on the other instance' });
    expect(Date.now() - at).toBeLessThan(2_500);
  });
});
