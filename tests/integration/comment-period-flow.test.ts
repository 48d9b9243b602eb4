// Comment periods end to end: the import command sets the dates (Asia/Shanghai),
// the report page says plainly when comments close (days left in the last
// week), outside the period the forms give way to the phone/postal channels
// with the office's hours and a direct POST is refused with 403 and stores
// nothing; staff can still record a phone opinion, marked 期間外; admins
// extend or close early with a public reason, audited.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { DEFAULT_OFFICE_HOURS } from '~/domain/comment-period';
import { addDays, toLocalDateTime, toLocalDay } from '~/utils/local-time';
import { BUNDLED_NOTICE_PATH } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');
const SLUG = 'period-test';

let server: TestServer;
let db: DB;
let admin = '';
let staff = '';
let reportId = 0;

async function importCli(...args: string[]) {
  return run(process.execPath, ['node_modules/.bin/tsx', 'scripts/notice-import.ts', BUNDLED_NOTICE_PATH, '--slug', SLUG, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, DATABASE_PATH: server.databasePath, NODE_ENV: 'production', SESSION_SECRET: 'test-secret-test-secret-test-secret-0123456789' },
  });
}

/** A Shanghai wall time `hours` from now, as the command and the console take it. */
function local(hours: number): string {
  return toLocalDateTime(Date.now() + hours * 3600_000);
}

/** The page once the cache has caught up with a write made by another process (within a second). */
async function pageUntil(predicate: (html: string) => boolean): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const html = (await (await fetch(`${server.url}/reports/${SLUG}`)).text()).replace(/<!--.*?-->/g, '');
    if (predicate(html) || Date.now() > deadline) return html;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let counter = 0;
function postOpinion(extra: Record<string, string> = {}) {
  counter++;
  return fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    body: new URLSearchParams({ section: '3', item: '2', body: `募集期間のテストの意見です(${counter})。`, consent: 'on', ...extra }),
    redirect: 'manual',
  });
}

async function opinionCount(): Promise<number> {
  return Number((await db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).where('report_id', '=', reportId).executeTakeFirstOrThrow()).n);
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100' });
  db = openDatabase(server.databasePath).db;
  const a = await createTestUser(server.databasePath, 'admin');
  admin = await signIn(server.url, a.email, a.password);
  const s = await createTestUser(server.databasePath, 'staff');
  staff = await signIn(server.url, s.email, s.password);
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a comment period set by the import command', () => {
  it('shows the period and the days left in the last week, and takes opinions', async () => {
    const closes = local(3 * 24);
    const { stdout } = await importCli('--opens', local(-24), '--closes', closes);
    expect(stdout).toContain('Imported as a new report');
    reportId = (await db.selectFrom('reports').select('id').where('slug', '=', SLUG).executeTakeFirstOrThrow()).id;
    const daysLeft = [0, 1, 2, 3, 4].find((n) => addDays(toLocalDay(new Date()), n) === closes.slice(0, 10));
    const html = await pageUntil((h) => h.includes('意見募集期間'));
    expect(html).toContain('意見募集期間: ');
    expect(html).toContain(`締め切りまであと${daysLeft}日`);
    expect(html).toContain('この項目について意見を送る');
    expect(html).toContain(`受付時間: ${DEFAULT_OFFICE_HOURS}`);
    const res = await postOpinion();
    expect(res.status).toBe(303);
    expect(await opinionCount()).toBe(1);
  });

  it('replaces the forms after the close and refuses a direct POST with 403, storing nothing', async () => {
    await importCli('--closes', local(-1));
    const html = await pageUntil((h) => h.includes('に終了しました'));
    expect(html).toContain('この通報への意見の受付は');
    expect(html).toContain('に終了しました。このサイトからは送信できません。');
    expect(html).toContain('0573-827222911');
    expect(html).toContain('嘉興市秀洲区洪興路1765号');
    expect(html).not.toContain('この項目について意見を送る');
    expect(html).not.toContain('name="body"');

    const before = await opinionCount();
    const noJs = await postOpinion();
    expect(noJs.status).toBe(403);
    expect(await noJs.text()).toContain('に終了しました');
    const withJs = await postOpinion({ _js: '1' });
    expect(withJs.status).toBe(403);
    expect(await opinionCount()).toBe(before);
  });

  it('lets staff record a phone opinion after the close, marked 期間外', async () => {
    const form = await (await fetch(`${server.url}/staff/opinions/new`, { headers: { Cookie: staff } })).text();
    expect(form).toContain('いまウェブでの意見募集期間外です');
    const res = await fetch(`${server.url}/staff/opinions/new`, {
      method: 'POST',
      headers: { Cookie: staff, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ channel: 'phone', receivedAt: local(0), target: `${reportId}:3:2`, body: '締め切り後に電話で寄せられた意見です。', name: '', email: '', phone: '', address: '', formToken: `period-${Date.now()}` }),
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    const row = await db.selectFrom('opinions').select(['channel', 'outside_period']).where('report_id', '=', reportId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'phone', outside_period: 1 });
    const list = await (await fetch(`${server.url}/staff/notices`, { headers: { Cookie: admin } })).text();
    expect(list).toContain('募集終了');
  });

  it('says so before the period opens', async () => {
    await importCli('--opens', local(48), '--closes', local(96));
    const html = await pageUntil((h) => h.includes('に始まります'));
    expect(html).toContain('に始まります。それまでは、このサイトからは送信できません。');
    expect((await postOpinion()).status).toBe(403);
  });

  it('reopens with --closes none, and refuses a date it cannot read', async () => {
    await importCli('--opens', 'none', '--closes', 'none');
    const html = await pageUntil((h) => h.includes('この項目について意見を送る'));
    expect(html).not.toContain('意見募集期間: ');
    expect((await postOpinion()).status).toBe(303);
    await expect(importCli('--closes', '2026-02-30 17:00')).rejects.toMatchObject({ code: 2 });
  });
});

describe('extending and closing early from the console', () => {
  const period = (fields: Record<string, string>, cookie = admin) =>
    fetch(`${server.url}/staff/notices/${reportId}/period`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });

  it('closes early with a reason, shown publicly and audited', async () => {
    expect((await period({ intent: 'close', reason: '' })).status).toBe(400);
    expect((await period({ intent: 'close', reason: '十分な意見が集まったため' }, staff)).status).toBe(403);
    const res = await period({ intent: 'close', reason: '十分な意見が集まったため' });
    expect(res.status).toBe(200);
    const html = await pageUntil((h) => h.includes('早期終了'));
    expect(html).toContain('に募集を早期終了しました');
    expect(html).toContain('理由: 十分な意見が集まったため');
    expect((await postOpinion()).status).toBe(403);
    const audit = await db.selectFrom('audit_log').select('action').where('entity_id', '=', String(reportId)).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.action).toBe('notice.period.close');
  });

  it('extends with a reason, reopening the forms and saying 延長されました', async () => {
    const refused = await period({ intent: 'extend', closesAt: local(-2), reason: '延長します' });
    expect(refused.status).toBe(400);
    const res = await period({ intent: 'extend', closesAt: local(24 * 10), reason: '説明会の日程変更のため' });
    expect(res.status).toBe(200);
    const html = await pageUntil((h) => h.includes('延長されました'));
    expect(html).toContain('に延長されました');
    expect(html).toContain('理由: 説明会の日程変更のため');
    expect(html).toContain('この項目について意見を送る');
    expect(html).not.toContain('締め切りまであと');
    expect((await postOpinion()).status).toBe(303);
    const changes = await db.selectFrom('comment_period_changes').select(['kind', 'reason']).where('report_id', '=', reportId).where('kind', '!=', 'set').execute();
    expect(changes).toEqual([
      { kind: 'close_early', reason: '十分な意見が集まったため' },
      { kind: 'extend', reason: '説明会の日程変更のため' },
    ]);
  });
});
