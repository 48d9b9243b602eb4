// A staff member's language preference (/staff/account, users.language)
// over HTTP: once set, their console is in that language whatever the lng
// cookie says; a colleague without a preference keeps the cookie's language;
// "follow the browser" hands the choice back to the cookie.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let chooser: TestUser;
let colleague: TestUser;
let chooserCookie = '';
let colleagueCookie = '';

const JA_COOKIE = 'lng=ja';
const text = async (res: Response) => (await res.text()).replace(/<!-- -->/g, '');
const get = (path: string, cookie: string) => fetch(server.url + path, { redirect: 'manual', headers: { Cookie: `${cookie}; ${JA_COOKIE}` } });
const post = (path: string, fields: Record<string, string>, cookie: string) => postForm(server.url + path, fields, { cookie: `${cookie}; ${JA_COOKIE}` });
const htmlLang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

beforeAll(async () => {
  server = await startTestServer();
  db = openDatabase(server.databasePath).db;
  chooser = await createTestUser(server.databasePath, 'admin', { displayName: 'Chooser' });
  colleague = await createTestUser(server.databasePath, 'staff', { displayName: '同僚' });
  chooserCookie = await signIn(server.url, chooser.email, chooser.password);
  colleagueCookie = await signIn(server.url, colleague.email, colleague.password);
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a staff member who chooses English', () => {
  it('starts in the cookie language (Japanese) with "follow the browser" chosen', async () => {
    const html = await text(await get('/staff/account', chooserCookie));
    expect(htmlLang(html)).toBe('ja');
    expect(html).toContain('<h1>アカウント</h1>');
    expect(html).toMatch(/<input type="radio" id="account-language-browser" name="language" checked=""/);
  });

  it('saves English and is answered in English at once', async () => {
    const res = await post('/staff/account?index', { intent: 'language', language: 'en' }, chooserCookie);
    expect(res.status).toBe(200);
    const html = await text(res);
    expect(htmlLang(html)).toBe('en');
    expect(html).toContain('Your display language has been saved.');
    const row = await db.selectFrom('users').select('language').where('id', '=', chooser.id).executeTakeFirstOrThrow();
    expect(row.language).toBe('en');
  });

  it('sees the console in English although the cookie says ja', async () => {
    for (const [path, heading] of [
      ['/staff/account', 'Account'],
      ['/staff/users', 'Users'],
      ['/staff/units', 'Responsible units'],
    ] as const) {
      const html = await text(await get(path, chooserCookie));
      expect(htmlLang(html), path).toBe('en');
      expect(html, path).toContain(`<h1>${heading}</h1>`);
    }
    expect(await text(await get('/staff/account', chooserCookie))).toMatch(/<input type="radio" id="account-language-en" name="language" checked="" value="en"/);
  });

  it('is told about a mistake on the password form in English', async () => {
    const res = await post(
      '/staff/account/password',
      { currentPassword: chooser.password, newPassword: 'lantern orchard velvet 42', confirmPassword: 'lantern orchard velvet 43' },
      chooserCookie,
    );
    expect(res.status).toBe(400);
    const html = await text(res);
    expect(htmlLang(html)).toBe('en');
    expect(html).toContain('The confirmation does not match the new password.');
    expect(html).not.toContain('確認用のパスワードが一致しません');
  });

  it('refuses a language that is not offered, keeping the choice', async () => {
    const res = await post('/staff/account?index', { intent: 'language', language: 'fr' }, chooserCookie);
    expect(res.status).toBe(400);
    expect(await text(res)).toContain('Choose a display language.');
    const row = await db.selectFrom('users').select('language').where('id', '=', chooser.id).executeTakeFirstOrThrow();
    expect(row.language).toBe('en');
  });
});

describe('a colleague without a preference', () => {
  it('keeps the Japanese console and Japanese messages', async () => {
    const html = await text(await get('/staff/account', colleagueCookie));
    expect(htmlLang(html)).toBe('ja');
    expect(html).toContain('<h1>アカウント</h1>');
    const res = await post('/staff/account/password', { currentPassword: colleague.password, newPassword: 'x', confirmPassword: 'y' }, colleagueCookie);
    expect(res.status).toBe(400);
    expect(await text(res)).toContain('確認用のパスワードが一致しません。');
  });

  it('follows the zh-Hans cookie when that is what the browser sends', async () => {
    const res = await fetch(`${server.url}/staff/account`, { headers: { Cookie: `${colleagueCookie}; lng=zh-Hans` } });
    const html = await text(res);
    expect(htmlLang(html)).toBe('zh-Hans');
    expect(html).toContain('<h1>账号</h1>');
  });
});

describe('going back to "follow the browser"', () => {
  it('stores null and lets the cookie decide again', async () => {
    const res = await post('/staff/account?index', { intent: 'language', language: '' }, chooserCookie);
    expect(res.status).toBe(200);
    expect(htmlLang(await text(res))).toBe('ja');
    const row = await db.selectFrom('users').select('language').where('id', '=', chooser.id).executeTakeFirstOrThrow();
    expect(row.language).toBeNull();
    expect(htmlLang(await text(await get('/staff/users', chooserCookie)))).toBe('ja');
  });

  it('leaves the sign-in page to the cookie', async () => {
    const html = await text(await fetch(`${server.url}/staff/login`, { headers: { Cookie: 'lng=en' } }));
    expect(htmlLang(html)).toBe('en');
    expect(html).toContain('<h1>Staff sign-in</h1>');
  });
});
