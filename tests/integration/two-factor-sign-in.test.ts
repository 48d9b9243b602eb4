// Issue 13 over HTTP: the first admin's password file and forced change, a
// person's own password change, TOTP enrolment and sign-in (a code cannot be
// used twice, a recovery code works once), an admin's reset, and REQUIRE_2FA.
import fs from 'node:fs';
import { authenticator } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, initialAdminPasswordFile, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;

const get = (url: string, cookie: string) => fetch(url, { redirect: 'manual', headers: { Cookie: cookie } });
const text = async (res: Response) => (await res.text()).replace(/<!-- -->/g, '');

/** Signs in with the password and returns the session cookie (complete or owing a code) and where it was sent. */
async function passwordStep(base: string, email: string, password: string) {
  const res = await postForm(`${base}/staff/login`, { email, password, redirectTo: '/staff' });
  expect(res.status, await res.clone().text()).toBe(302);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__ikenbako_staff='))!.split(';')[0];
  return { cookie, location: res.headers.get('location')! };
}

/** A code for a step that was not used yet: the next step's code when this one's was just used. */
function codeAt(secret: string, offsetSteps = 0): string {
  return authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);
}

async function enrol(base: string, cookie: string): Promise<{ secret: string; recoveryCodes: string[] }> {
  const page = await text(await get(`${base}/staff/account/2fa`, cookie));
  const secret = /<code id="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page)![1].replace(/ /g, '');
  expect(page).toContain('<svg');
  const wrong = await postForm(`${base}/staff/account/2fa`, { code: '000000' === codeAt(secret) ? '111111' : '000000' }, { cookie });
  expect(wrong.status).toBe(400);
  const ok = await postForm(`${base}/staff/account/2fa`, { code: codeAt(secret) }, { cookie });
  expect(ok.status).toBe(200);
  const recoveryCodes = [...(await text(ok)).matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]);
  expect(recoveryCodes).toHaveLength(10);
  return { secret, recoveryCodes };
}

beforeAll(async () => {
  server = await startTestServer({ REQUIRE_2FA: 'admin' });
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('the first admin', () => {
  it('finds the generated password in an owner-only file, must change it, and the file goes', async () => {
    const file = initialAdminPasswordFile(server);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const [email, password] = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(email).toBe('admin@localhost');
    expect(server.logs()).toContain(file);
    expect(server.logs()).not.toContain(password);

    const { cookie, location } = await passwordStep(server.url, email, password);
    expect(location).toBe('/staff');
    // Nothing but the password page until the password is changed.
    for (const page of ['/staff', '/staff/users', '/staff/account/2fa']) {
      const res = await get(server.url + page, cookie);
      expect(res.status, page).toBe(302);
      expect(res.headers.get('location')).toBe('/staff/account/password');
    }
    const common = await postForm(
      `${server.url}/staff/account/password`,
      { currentPassword: password, newPassword: 'password1234', confirmPassword: 'password1234' },
      { cookie },
    );
    expect(common.status).toBe(400);
    expect(await text(common)).toContain('よく使われている');
    const wrongCurrent = await postForm(
      `${server.url}/staff/account/password`,
      { currentPassword: 'not-the-password', newPassword: 'lantern orchard velvet 42', confirmPassword: 'lantern orchard velvet 42' },
      { cookie },
    );
    expect(wrongCurrent.status).toBe(400);
    const changed = await postForm(
      `${server.url}/staff/account/password`,
      { currentPassword: password, newPassword: 'lantern orchard velvet 42', confirmPassword: 'lantern orchard velvet 42' },
      { cookie },
    );
    expect(changed.status).toBe(302);
    expect(fs.existsSync(file)).toBe(false);
    // An admin without a second factor (REQUIRE_2FA=admin) is now sent to enrol.
    const next = await get(`${server.url}/staff`, cookie);
    expect(next.headers.get('location')).toBe('/staff/account/2fa');
    const audit = await db.selectFrom('audit_log').select('action').where('action', '=', 'user.password_change').execute();
    expect(audit).toHaveLength(1);
    const mail = await db.selectFrom('outbox_messages').select(['recipient', 'subject']).where('kind', '=', 'account_notice').execute();
    expect(mail).toEqual([expect.objectContaining({ recipient: 'admin@localhost', subject: expect.stringContaining('パスワードが変更') })]);
  });
});

describe('a password change', () => {
  it('refuses the own name or email, and ends the other sessions', async () => {
    const user = await createTestUser(server.databasePath, 'staff', { email: 'hanako.yamada@example.jp', displayName: 'yamada hanako' });
    const first = await signIn(server.url, user.email, user.password);
    const second = await signIn(server.url, user.email, user.password);
    const personal = await postForm(
      `${server.url}/staff/account/password`,
      { currentPassword: user.password, newPassword: 'hanako.yamada!!', confirmPassword: 'hanako.yamada!!' },
      { cookie: first },
    );
    expect(personal.status).toBe(400);
    expect(await text(personal)).toContain('メールアドレスや名前');
    const ok = await postForm(
      `${server.url}/staff/account/password`,
      { currentPassword: user.password, newPassword: 'copper kettle morning 77', confirmPassword: 'copper kettle morning 77' },
      { cookie: first },
    );
    expect(ok.status).toBe(302);
    expect((await get(`${server.url}/staff`, first)).status).toBe(200);
    expect((await get(`${server.url}/staff`, second)).status).toBe(302);
  });
});

describe('two-factor sign-in', () => {
  let user: TestUser;
  let secret: string;
  let recoveryCodes: string[];

  beforeAll(async () => {
    user = await createTestUser(server.databasePath, 'admin');
    const cookie = await signIn(server.url, user.email, user.password);
    expect((await get(`${server.url}/staff`, cookie)).headers.get('location')).toBe('/staff/account/2fa');
    ({ secret, recoveryCodes } = await enrol(server.url, cookie));
    expect((await get(`${server.url}/staff`, cookie)).status).toBe(200);
  });

  it('asks for a code after the password; a code opens the console once and cannot be used again', async () => {
    const { cookie, location } = await passwordStep(server.url, user.email, user.password);
    expect(location).toBe('/staff/login/2fa?redirectTo=%2Fstaff');
    expect((await get(`${server.url}/staff`, cookie)).status).toBe(302);
    // The enrolment used this step's code; the next step's is within the allowed skew.
    const code = codeAt(secret, 1);
    const ok = await postForm(`${server.url}/staff/login/2fa`, { code, redirectTo: '/staff' }, { cookie });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/staff');
    expect((await get(`${server.url}/staff`, cookie)).status).toBe(200);

    const again = await passwordStep(server.url, user.email, user.password);
    const reused = await postForm(`${server.url}/staff/login/2fa`, { code, redirectTo: '/staff' }, { cookie: again.cookie });
    expect(reused.status).toBe(400);
    expect((await get(`${server.url}/staff`, again.cookie)).status).toBe(302);
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'auth.2fa_failed').execute()).toHaveLength(1);
  });

  it('takes a recovery code once, and mails the owner', async () => {
    const one = await passwordStep(server.url, user.email, user.password);
    const ok = await postForm(`${server.url}/staff/login/2fa`, { code: recoveryCodes[0].toUpperCase(), redirectTo: '/staff' }, { cookie: one.cookie });
    expect(ok.status).toBe(302);
    expect((await get(`${server.url}/staff`, one.cookie)).status).toBe(200);
    const two = await passwordStep(server.url, user.email, user.password);
    const reused = await postForm(`${server.url}/staff/login/2fa`, { code: recoveryCodes[0], redirectTo: '/staff' }, { cookie: two.cookie });
    expect(reused.status).toBe(400);
    const mail = await db.selectFrom('outbox_messages').select('subject').where('recipient', '=', user.email).execute();
    expect(mail.map((m) => m.subject)).toEqual(expect.arrayContaining([expect.stringContaining('二段階認証が設定'), expect.stringContaining('回復コード')]));
  });

  it('ends a pending sign-in after five wrong codes', async () => {
    const { cookie } = await passwordStep(server.url, user.email, user.password);
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) last = await postForm(`${server.url}/staff/login/2fa`, { code: '12345x', redirectTo: '/staff' }, { cookie });
    expect(last!.status).toBe(302);
    expect(last!.headers.get('location')).toBe('/staff/login?factor=ended');
    expect((await get(`${server.url}/staff/login/2fa`, cookie)).headers.get('location')).toBe('/staff/login');
  });

  it('lists and ends sessions; an admin can reset the second factor', async () => {
    const admin = await createTestUser(server.databasePath, 'admin');
    const adminCookie = await signIn(server.url, admin.email, admin.password);
    await enrol(server.url, adminCookie);
    const reset = await postForm(`${server.url}/staff/users`, { intent: 'reset-2fa', userId: String(user.id) }, { cookie: adminCookie });
    expect(reset.status).toBe(200);
    const after = await passwordStep(server.url, user.email, user.password);
    expect(after.location).toBe('/staff');
    expect((await get(`${server.url}/staff`, after.cookie)).headers.get('location')).toBe('/staff/account/2fa');
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'user.2fa_reset').execute()).toHaveLength(1);

    const page = await text(await get(`${server.url}/staff/account/sessions`, adminCookie));
    expect(page).toContain('(この端末)');
    const end = await postForm(`${server.url}/staff/account/sessions`, { intent: 'end-others' }, { cookie: adminCookie });
    expect(end.status).toBe(302);
    expect((await get(`${server.url}/staff/account/sessions`, adminCookie)).status).toBe(200);
  });
});

describe('REQUIRE_2FA', () => {
  it.each([
    ['none', []],
    ['admin', ['admin']],
    ['moderator', ['moderator', 'admin']],
    ['all', ['staff', 'moderator', 'admin']],
  ] as const)('%s sends these roles to enrol: %j', async (setting, required) => {
    const other = await startTestServer({ REQUIRE_2FA: setting });
    try {
      for (const role of ['staff', 'moderator', 'admin'] as const) {
        const u = await createTestUser(other.databasePath, role);
        const cookie = await signIn(other.url, u.email, u.password);
        const res = await get(`${other.url}/staff`, cookie);
        if ((required as readonly string[]).includes(role)) {
          expect(res.headers.get('location'), role).toBe('/staff/account/2fa');
          expect((await get(`${other.url}/staff/account/2fa`, cookie)).status).toBe(200);
        } else {
          expect(res.status, role).toBe(200);
        }
      }
    } finally {
      await other.stop();
    }
  });
});
