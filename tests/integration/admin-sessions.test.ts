// An admin sees another person's sessions at /staff/users/:id (signed in at,
// last seen, browser) and ends one: that browser is signed out, the other
// keeps working; "end all" ends the rest. Each end is audited. A session of
// someone else posted to this person's page ends nothing; moderators cannot
// reach the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15';

let server: TestServer;
let admin: TestUser;
let person: TestUser;
let moderator: TestUser;
let adminCookie: string;
let moderatorCookie: string;
let firefoxCookie: string;
let safariCookie: string;

const get = async (path: string, cookie: string) => {
  const res = await fetch(server.url + path, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: (await res.text()).replace(/<!-- -->/g, '') };
};

/** The session keys the page offers to end, by the browser its row names. */
function sessionKeys(html: string): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const row of html.split('<tr').slice(1)) {
    const key = /name="session" value="([^"]+)"/.exec(row)?.[1];
    const agent = /<th scope="row">([^<(]+)/.exec(row)?.[1]?.trim();
    if (key && agent) keys[agent] = key;
  }
  return keys;
}

async function auditedEnds(userId: number) {
  const { db } = openDatabase(server.databasePath);
  try {
    return await db
      .selectFrom('audit_log')
      .select(['actor_id', 'after_json'])
      .where('action', '=', 'auth.session_end')
      .where('entity_type', '=', 'user')
      .where('entity_id', '=', String(userId))
      .orderBy('id')
      .execute();
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 花子' });
  person = await createTestUser(server.databasePath, 'staff', { displayName: '窓口 一郎' });
  moderator = await createTestUser(server.databasePath, 'moderator');
  adminCookie = await signIn(server.url, admin.email, admin.password);
  moderatorCookie = await signIn(server.url, moderator.email, moderator.password);
  firefoxCookie = await signIn(server.url, person.email, person.password, { 'User-Agent': FIREFOX });
  safariCookie = await signIn(server.url, person.email, person.password, { 'User-Agent': SAFARI });
});
afterAll(async () => {
  await server?.stop();
});

describe("an admin and another person's sessions", () => {
  it('links each person on /staff/users to their sessions, with the count', async () => {
    const { status, html } = await get('/staff/users', adminCookie);
    expect(status).toBe(200);
    expect(html).toContain(`href="/staff/users/${person.id}"`);
    expect(html).toContain(`aria-label="${person.displayName}さんのセッション(2件)"`);
  });

  it('lists both sessions with signed in at, last seen and the browser', async () => {
    const { status, html } = await get(`/staff/users/${person.id}`, adminCookie);
    expect(status).toBe(200);
    expect(html).toContain(`<h1>${person.displayName}さんのセッション</h1>`);
    expect(Object.keys(sessionKeys(html)).sort()).toEqual(['Firefox / Windows', 'Safari / macOS']);
    // Two sessions, each with two Shanghai times (signed in, last seen).
    expect(html.match(/<time dateTime="\d{4}-\d{2}-\d{2}T[^"]+Z">\d{4}年\d{1,2}月\d{1,2}日/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
    expect(html).toContain(`${person.displayName}さんのセッションをすべて終了`);
  });

  it('ends one: that browser is signed out, the other keeps working, and it is audited', async () => {
    expect((await get('/staff', firefoxCookie)).status).toBe(200);
    const keys = sessionKeys((await get(`/staff/users/${person.id}`, adminCookie)).html);
    const res = await postForm(`${server.url}/staff/users/${person.id}`, { intent: 'end', session: keys['Firefox / Windows'] }, { cookie: adminCookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/staff/users/${person.id}?ended=1`);

    const signedOut = await get('/staff', firefoxCookie);
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/staff\/login/);
    expect((await get('/staff', safariCookie)).status).toBe(200);

    const after = await get(`/staff/users/${person.id}?ended=1`, adminCookie);
    expect(after.html).toContain('セッションを1件終了しました。');
    expect(Object.keys(sessionKeys(after.html))).toEqual(['Safari / macOS']);
    const audited = await auditedEnds(person.id);
    expect(audited).toHaveLength(1);
    expect(audited[0].actor_id).toBe(admin.id);
    expect(JSON.parse(audited[0].after_json!)).toMatchObject({ ended: 1, scope: 'one' });
  });

  it("ends nothing when given a session that is someone else's", async () => {
    const adminKeys = sessionKeys((await get(`/staff/users/${admin.id}`, adminCookie)).html);
    const adminKey = Object.values(adminKeys)[0];
    expect(adminKey).toBeTruthy();
    const res = await postForm(`${server.url}/staff/users/${person.id}`, { intent: 'end', session: adminKey }, { cookie: adminCookie });
    expect(res.headers.get('location')).toBe(`/staff/users/${person.id}?ended=0`);
    expect((await get('/staff', adminCookie)).status).toBe(200);
    expect((await get('/staff', safariCookie)).status).toBe(200);
  });

  it('ends all of them', async () => {
    const res = await postForm(`${server.url}/staff/users/${person.id}`, { intent: 'end-all' }, { cookie: adminCookie });
    expect(res.headers.get('location')).toBe(`/staff/users/${person.id}?ended=1`);
    expect((await get('/staff', safariCookie)).status).toBe(302);
    const page = await get(`/staff/users/${person.id}`, adminCookie);
    expect(page.html).toContain('サインイン中の端末はありません。');
    const audited = await auditedEnds(person.id);
    expect(audited).toHaveLength(2);
    expect(JSON.parse(audited[1].after_json!)).toMatchObject({ ended: 1, scope: 'all' });
  });

  it('refuses a form it does not know, and a person who does not exist', async () => {
    const bad = await postForm(`${server.url}/staff/users/${person.id}`, { intent: 'delete' }, { cookie: adminCookie });
    expect(bad.status).toBe(400);
    expect((await get('/staff/users/999999', adminCookie)).status).toBe(404);
    expect((await get('/staff/users/abc', adminCookie)).status).toBe(404);
  });

  it('is closed to moderators, who cannot end anyone’s session', async () => {
    const again = await signIn(server.url, person.email, person.password);
    expect((await get(`/staff/users/${person.id}`, moderatorCookie)).status).toBe(403);
    const keys = sessionKeys((await get(`/staff/users/${person.id}`, adminCookie)).html);
    const res = await postForm(`${server.url}/staff/users/${person.id}`, { intent: 'end', session: Object.values(keys)[0] }, { cookie: moderatorCookie });
    expect(res.status).toBe(403);
    expect((await get('/staff', again)).status).toBe(200);
    expect(await auditedEnds(person.id)).toHaveLength(2);
  });
});
