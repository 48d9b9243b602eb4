// The admin screens over HTTP: users, units and the audit log, each change audited before → after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let admin: TestUser;
let adminCookie: string;

function post(path: string, fields: Record<string, string>, cookie = adminCookie) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}
const text = async (res: Response) => (await res.text()).replace(/<!-- -->/g, '');

async function lastAudit(action: string) {
  const row = await db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { ...row, before: row.before_json && JSON.parse(row.before_json), after: row.after_json && JSON.parse(row.after_json) };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 一子' });
  adminCookie = await signIn(server.url, admin.email, admin.password);
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('users', () => {
  it('creates a user, shows the password once, and audits it', async () => {
    const res = await post('/staff/users', { intent: 'create', email: 'Kimura@Example.jp', displayName: '木村 次郎', role: 'staff' });
    expect(res.status).toBe(200);
    const html = await text(res);
    const password = /<dt>パスワード<\/dt><dd><code>([^<]+)<\/code>/.exec(html)?.[1];
    expect(password).toBeTruthy();
    const cookie = await signIn(server.url, 'kimura@example.jp', password!);
    // A generated password is changed by its owner before anything else.
    const first = await fetch(`${server.url}/staff`, { redirect: 'manual', headers: { Cookie: cookie } });
    expect(first.headers.get('location')).toBe('/staff/account/password');
    const row = await lastAudit('user.create');
    expect(row.actor_id).toBe(admin.id);
    expect(row.after).toEqual({ email: 'kimura@example.jp', displayName: '木村 次郎', role: 'staff', active: true });
    expect(row.after_json).not.toContain(password!);
    // The list never shows it again.
    expect(await text(await fetch(`${server.url}/staff/users`, { headers: { Cookie: adminCookie } }))).not.toContain(password!);
  });

  it('refuses a duplicate email and bad input with Japanese messages', async () => {
    const dup = await post('/staff/users', { intent: 'create', email: 'kimura@example.jp', displayName: '重複', role: 'staff' });
    expect(dup.status).toBe(409);
    expect(await text(dup)).toContain('kimura@example.jp は既に登録されています。');
    const bad = await post('/staff/users', { intent: 'create', email: 'not-an-email', displayName: '', role: 'root' });
    expect(bad.status).toBe(400);
    const html = await text(bad);
    expect(html).toContain('メールアドレスの形式が正しくありません');
    expect(html).toContain('表示名を入力してください。');
    expect(html).toMatch(/aria-invalid="true"/);
  });

  it('cleans what was typed and answers a bad row form with one message', async () => {
    const res = await post('/staff/users', { intent: 'create', email: ' Yamada@Example.JP ', displayName: '  山田\u200B   三郎\n', role: 'moderator' });
    expect(res.status).toBe(200);
    const row = await db.selectFrom('users').select(['email', 'display_name']).where('email', '=', 'yamada@example.jp').executeTakeFirstOrThrow();
    expect(row.display_name).toBe('山田 三郎');

    const badRole = await post('/staff/users', { intent: 'role', userId: String(admin.id), role: 'root' });
    expect(badRole.status).toBe(400);
    const badRoleHtml = await text(badRole);
    expect(badRoleHtml).toContain('権限を選んでください。');
    // The new-user form below is not marked: the mistake was in a row.
    expect(badRoleHtml).not.toMatch(/aria-invalid="true"/);
    const noUser = await post('/staff/users', { intent: 'reset', userId: '0' });
    expect(noUser.status).toBe(400);
    expect(await text(noUser)).toContain('利用者の指定が正しくありません。');
    const unknown = await post('/staff/users', { intent: 'delete', userId: String(admin.id) });
    expect(unknown.status).toBe(400);
    expect(await text(unknown)).toContain('操作の種類が正しくありません。');
    const tooLong = await post('/staff/users', { intent: 'create', email: 'long@example.jp', displayName: '長'.repeat(61), role: 'staff' });
    expect(tooLong.status).toBe(400);
    expect(await text(tooLong)).toContain('表示名は60文字以内にしてください。');
  });

  it('changes a role and deactivates a user, whose open session ends at once', async () => {
    const person = await createTestUser(server.databasePath, 'staff', { displayName: '異動 予定' });
    const cookie = await signIn(server.url, person.email, person.password);
    expect((await post('/staff/users', { intent: 'role', userId: String(person.id), role: 'moderator' })).status).toBe(200);
    const role = await lastAudit('user.role');
    expect(role.before.role).toBe('staff');
    expect(role.after.role).toBe('moderator');

    expect((await post('/staff/users', { intent: 'deactivate', userId: String(person.id) })).status).toBe(200);
    expect((await fetch(`${server.url}/staff`, { redirect: 'manual', headers: { Cookie: cookie } })).status).toBe(302);
    const failed = await fetch(`${server.url}/staff/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ email: person.email, password: person.password }),
    });
    expect(failed.status).toBe(400);
    const off = await lastAudit('user.deactivate');
    expect([off.before.active, off.after.active]).toEqual([true, false]);
    expect(await db.selectFrom('users').select('id').where('id', '=', person.id).executeTakeFirst()).toBeTruthy();

    expect((await post('/staff/users', { intent: 'reactivate', userId: String(person.id) })).status).toBe(200);
    expect(await signIn(server.url, person.email, person.password)).toMatch(/^__ikenbako_staff=/);
  });

  it('never leaves the portal without an active admin', async () => {
    const { db: direct } = openDatabase(server.databasePath);
    await direct.updateTable('users').set({ active: 0 }).where('email', '=', 'admin@localhost').execute();
    await direct.destroy();
    const res = await post('/staff/users', { intent: 'role', userId: String(admin.id), role: 'staff' });
    expect(res.status).toBe(409);
    expect(await text(res)).toContain('有効な管理者が一人もいなくなる');
    expect((await db.selectFrom('users').select('role').where('id', '=', admin.id).executeTakeFirstOrThrow()).role).toBe('admin');
  });

  it('reissues a password: the old one stops working', async () => {
    const person = await createTestUser(server.databasePath, 'staff');
    const res = await post('/staff/users', { intent: 'reset', userId: String(person.id) });
    const fresh = /<dt>パスワード<\/dt><dd><code>([^<]+)<\/code>/.exec(await text(res))?.[1];
    expect(fresh).toBeTruthy();
    await expect(signIn(server.url, person.email, person.password)).rejects.toThrow(/failed: 400/);
    expect(await signIn(server.url, person.email, fresh!)).toMatch(/^__ikenbako_staff=/);
    expect((await lastAudit('user.password_reset')).entity_id).toBe(String(person.id));
  });
});

describe('units', () => {
  it('creates, edits, retires and restores a unit, auditing each step', async () => {
    expect((await post('/staff/units', { intent: 'create', name: '環境保護課', email: 'Kankyo@Example.jp' })).status).toBe(200);
    const unit = await db.selectFrom('units').selectAll().where('name', '=', '環境保護課').executeTakeFirstOrThrow();
    expect(unit.email).toBe('kankyo@example.jp');
    expect((await lastAudit('unit.create')).after).toEqual({ name: '環境保護課', email: 'kankyo@example.jp', retired: false });

    expect((await post('/staff/units', { intent: 'update', unitId: String(unit.id), name: '生態環境課', email: '' })).status).toBe(200);
    const update = await lastAudit('unit.update');
    expect(update.before).toEqual({ name: '環境保護課', email: 'kankyo@example.jp', retired: false });
    expect(update.after).toEqual({ name: '生態環境課', email: null, retired: false });

    expect((await post('/staff/units', { intent: 'retire', unitId: String(unit.id) })).status).toBe(200);
    expect((await lastAudit('unit.retire')).after.retired).toBe(true);
    const page = await text(await fetch(`${server.url}/staff/units`, { headers: { Cookie: adminCookie } }));
    expect(page).toMatch(/生態環境課（[^）]+に廃止）/);

    expect((await post('/staff/units', { intent: 'restore', unitId: String(unit.id) })).status).toBe(200);
    expect((await db.selectFrom('units').select('retired_at').where('id', '=', unit.id).executeTakeFirstOrThrow()).retired_at).toBeNull();
  });

  it('cleans a unit name and keeps a 80-character one whole', async () => {
    const name = '課'.repeat(80);
    expect((await post('/staff/units', { intent: 'create', name: `\u202E ${name}\t`, email: '' })).status).toBe(200);
    expect(await db.selectFrom('units').select('id').where('name', '=', name).executeTakeFirst()).toBeTruthy();
    const tooLong = await post('/staff/units', { intent: 'create', name: '課'.repeat(81), email: '' });
    expect(tooLong.status).toBe(400);
    expect(await text(tooLong)).toContain('部署名は80文字以内にしてください。');
  });

  it('refuses a duplicate name, an empty name and an unknown unit', async () => {
    await post('/staff/units', { intent: 'create', name: '道路管理課', email: '' });
    const dup = await post('/staff/units', { intent: 'create', name: '道路管理課', email: '' });
    expect(dup.status).toBe(409);
    expect(await text(dup)).toContain('「道路管理課」という部署は既にあります。');
    expect((await post('/staff/units', { intent: 'create', name: '  ', email: 'bad' })).status).toBe(400);
    expect((await post('/staff/units', { intent: 'retire', unitId: '99999' })).status).toBe(404);
    expect((await post('/staff/units', { intent: 'retire', unitId: 'abc' })).status).toBe(400);
  });
});

describe('audit log page', () => {
  it('lists entries and filters by person, action and date', async () => {
    const all = await text(await fetch(`${server.url}/staff/audit`, { headers: { Cookie: adminCookie } }));
    expect(all).toContain('unit.create');
    expect(all).toContain('auth.login');

    const byAction = await text(await fetch(`${server.url}/staff/audit?action=unit.retire`, { headers: { Cookie: adminCookie } }));
    expect(byAction).toContain('<span>担当部署の廃止</span>');
    expect(byAction).not.toContain('<span>担当部署の追加</span>');

    const byPerson = await text(await fetch(`${server.url}/staff/audit?actor=${admin.id}&action=auth.login`, { headers: { Cookie: adminCookie } }));
    expect(byPerson).toContain('管理 一子');
    expect(byPerson).toMatch(/1件中/);

    const future = await text(await fetch(`${server.url}/staff/audit?from=2099-01-01`, { headers: { Cookie: adminCookie } }));
    expect(future).toContain('条件に合う記録はありません。');
    const junk = await fetch(`${server.url}/staff/audit?from=yesterday&page=-3&actor=x`, { headers: { Cookie: adminCookie } });
    expect(junk.status).toBe(200);
  });

  it('pages 50 at a time', async () => {
    const { db: direct } = openDatabase(server.databasePath);
    const now = new Date().toISOString();
    await direct
      .insertInto('audit_log')
      .values(Array.from({ length: 60 }, (_, i) => ({ actor_id: null, actor_label: 'system', action: 'test.bulk', entity_type: 'test', entity_id: String(i), before_json: null, after_json: null, created_at: now })))
      .execute();
    await direct.destroy();
    const first = await text(await fetch(`${server.url}/staff/audit?action=test.bulk`, { headers: { Cookie: adminCookie } }));
    expect(first.match(/<code>test\.bulk<\/code>/g)).toHaveLength(50);
    expect(first).toContain('1/2ページ目');
    const second = await text(await fetch(`${server.url}/staff/audit?action=test.bulk&page=2`, { headers: { Cookie: adminCookie } }));
    expect(second.match(/<code>test\.bulk<\/code>/g)).toHaveLength(10);
  });
});
