import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { postForm } from '../helpers/http';
import { emlFiles } from '../helpers/smtp';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, databaseEnv, initialAdminPasswordFile, signIn, type TestUser } from '../helpers/staff';

const ROOT = path.resolve(__dirname, '../..');
let server: TestServer;
let db: DB;
let staff: TestUser;
let admin: TestUser;
let clientNo = 0;

/** A fresh client address per scenario, so one scenario's failures never lock another's. */
function nextClient(): string {
  clientNo += 1;
  return `198.18.${Math.floor(clientNo / 250)}.${(clientNo % 250) + 1}`;
}

function postLogin(body: Record<string, string>, headers: Record<string, string> = {}) {
  return postForm(`${server.url}/staff/login`, body, { headers: { 'X-Forwarded-For': nextClient(), ...headers } });
}

function get(pathname: string, cookie?: string) {
  return fetch(server.url + pathname, { redirect: 'manual', headers: cookie ? { Cookie: cookie } : {} });
}

async function auditRows(action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}

beforeAll(async () => {
  // One trusted hop (the test itself) lets each scenario speak from its own client address (X-Forwarded-For).
  server = await startTestServer({ TRUST_PROXY: '1' });
  staff = await createTestUser(server.databasePath, 'staff', { displayName: '山田 花子' });
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '管理 太郎' });
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('the first start', () => {
  it('creates an admin, writes its password to an owner-only file (not the log) and prints where', async () => {
    const logs = server.logs();
    const file = initialAdminPasswordFile(server);
    const [email, password] = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(email).toBe('admin@localhost');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(logs).toContain(file);
    expect(logs).not.toContain(password);
    expect(logs).toContain('http://localhost:3000/staff/login');
    const cookie = await signIn(server.url, email, password, { 'X-Forwarded-For': nextClient() });
    // A generated password must be changed before anything else.
    expect((await get('/staff', cookie)).headers.get('location')).toBe('/staff/account/password');
    expect((await get('/staff/account/password', cookie)).status).toBe(200);
    expect(await auditRows('user.create')).toEqual(
      expect.arrayContaining([expect.objectContaining({ actor_label: 'system', entity_id: expect.any(String) })]),
    );
  });

  it('does not create or print another admin on a later start', async () => {
    const again = await startTestServer({ DATABASE_PATH: server.databasePath });
    try {
      expect(again.logs()).not.toContain('initial-admin-password');
    } finally {
      await again.stop();
    }
    const admins = await db.selectFrom('users').select('email').where('email', '=', 'admin@localhost').execute();
    expect(admins).toHaveLength(1);
  });
});

describe('signing in', () => {
  it('sets an httpOnly, SameSite=Lax cookie and redirects into the console', async () => {
    const res = await postLogin({ email: staff.email.toUpperCase(), password: staff.password, redirectTo: '/staff/dashboard?x=1' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/dashboard?x=1');
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__ikenbako_staff='))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    // PUBLIC_URL is http here; Secure is only set behind https.
    expect(setCookie).not.toMatch(/Secure/i);

    const page = await get('/staff', setCookie.split(';')[0]);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('山田 花子');
    expect(html).toContain('職員');
    expect(html).toMatch(/<meta name="robots" content="noindex"/);
    expect(html).toContain('受付一覧');
    expect(html).not.toContain('href="/staff/users"');
  });

  it('issues a new session id at every sign-in and ends the one presented', async () => {
    const first = await signIn(server.url, staff.email, staff.password, { 'X-Forwarded-For': nextClient() });
    const res = await postLogin({ email: staff.email, password: staff.password }, { Cookie: first });
    const second = res.headers.getSetCookie()[0].split(';')[0];
    expect(second).not.toBe(first);
    expect((await get('/staff', second)).status).toBe(200);
    expect((await get('/staff', first)).status).toBe(302);
  });

  it('answers a wrong password and an unknown email with the same generic message', async () => {
    const wrong = await postLogin({ email: staff.email, password: 'not-the-password' });
    const unknown = await postLogin({ email: 'nobody@example.jp', password: 'not-the-password' });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const [a, b] = [await wrong.text(), await unknown.text()];
    expect(a).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect(b).toContain('メールアドレスまたはパスワードが正しくありません。');
    expect(wrong.headers.getSetCookie()).toHaveLength(0);
    const failures = await auditRows('auth.login_failed');
    expect(failures.map((f) => JSON.parse(f.after_json!).reason)).toEqual(expect.arrayContaining(['wrong_password', 'unknown_email']));
    expect(failures.every((f) => f.actor_id === null)).toBe(true);
    expect(failures.some((f) => (f.after_json ?? '').includes('not-the-password'))).toBe(false);
  });

  it('sends an anonymous visitor to sign-in and back, and never to another site', async () => {
    const res = await get('/staff/users?x=1');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/login?redirectTo=%2Fstaff%2Fusers%3Fx%3D1');
    const form = await (await get('/staff/login?redirectTo=%2Fstaff%2Fusers')).text();
    expect(form).toMatch(/name="redirectTo" value="\/staff\/users"/);
    expect(form).toMatch(/name="email"/);
    expect(form).toMatch(/name="password"/);
    for (const target of ['https://evil.example/', '//evil.example/staff', '/staff.evil', '/public']) {
      const r = await postLogin({ email: staff.email, password: staff.password, redirectTo: target });
      expect(r.headers.get('location'), target).toBe('/staff');
    }
  });

  it('records sign-ins in the audit log', async () => {
    const rows = await auditRows('auth.login');
    expect(rows.some((r) => r.actor_id === staff.id && r.entity_id === String(staff.id))).toBe(true);
  });
});

/** Moves an account's recorded attempts back in time, as if `ms` had passed. */
async function age(email: string, ms: number) {
  const rows = await db.selectFrom('login_attempts').select(['id', 'created_at']).where('email', '=', email).execute();
  for (const r of rows) {
    await db.updateTable('login_attempts').set({ created_at: new Date(Date.parse(r.created_at) - ms).toISOString() }).where('id', '=', r.id).execute();
  }
}

async function mailTo(address: string, subject: RegExp): Promise<ParsedMail[]> {
  const found: ParsedMail[] = [];
  for (const file of emlFiles(server.mailDir)) {
    const mail = await simpleParser(fs.readFileSync(path.join(server.mailDir, file)));
    const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
    if (to.some((t) => t.text.includes(address)) && subject.test(mail.subject ?? '')) found.push(mail);
  }
  return found;
}

describe('lockout', () => {
  it('makes an account wait after five failures, refuses even the right password meanwhile, and lets its owner in after the wait', async () => {
    const victim = await createTestUser(server.databasePath, 'staff');
    const statuses: number[] = [];
    // A stranger guessing from five places.
    for (let i = 0; i < 5; i++) statuses.push((await postLogin({ email: victim.email, password: `wrong-${i}-password` })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 429]);

    const waiting = await postLogin({ email: victim.email, password: victim.password });
    expect(waiting.status).toBe(429);
    const retryAfter = Number(waiting.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    expect(await waiting.text()).toContain('このアカウントへのサインインの失敗が続いたため');
    expect(waiting.headers.getSetCookie()).toHaveLength(0);

    // The wait passes.
    await age(victim.email, (retryAfter + 1) * 1000);
    const after = await postLogin({ email: victim.email, password: victim.password });
    expect(after.status).toBe(302);
  });

  it('never locks an account: after a long run of failures (the owner is mailed at the tenth) the owner still gets in after the longest wait', async () => {
    const owner = await createTestUser(server.databasePath, 'admin', { displayName: '標的 管理者' });
    const waits: number[] = [];
    // Each attempt that was let through is a row; a refused one is not.
    const verified = async () => (await db.selectFrom('login_attempts').select('id').where('email', '=', owner.email).execute()).length;
    let posts = 0;
    while ((await verified()) < 12) {
      const res = await postLogin({ email: owner.email, password: `guess-${posts}-password` });
      posts += 1;
      const text = await res.text();
      if (res.status === 429) {
        expect(text).toContain('このアカウント');
        const wait = Number(res.headers.get('retry-after'));
        waits.push(wait);
        // The stranger waits it out, except after the last guess: there the owner arrives.
        if ((await verified()) < 12) await age(owner.email, (wait + 1) * 1000);
      }
    }
    // Waiting each time, the stranger was never refused: every post was checked.
    expect(posts).toBe(12);
    // Failures 5 to 12 each started a wait: 30 s, 1, 2, 4, 8, then 15 minutes.
    expect(waits).toHaveLength(8);
    expect(waits[0]).toBeLessThanOrEqual(30);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] - 2);
    expect(Math.max(...waits)).toBeLessThanOrEqual(15 * 60);
    expect(Math.max(...waits)).toBeGreaterThan(14 * 60);

    // Exactly one message to the owner, at the tenth failure in a row.
    await expect.poll(async () => (await mailTo(owner.email, /サインインの失敗が続いています/)).length, { timeout: 15_000 }).toBe(1);
    const [alert] = await mailTo(owner.email, /サインインの失敗が続いています/);
    expect(alert.text).toContain('標的 管理者 様');
    expect(alert.text).toContain('続けて失敗した回数:10回');
    expect(alert.text).not.toMatch(/guess-\d+-password/);

    const waiting = await postLogin({ email: owner.email, password: owner.password });
    expect(waiting.status).toBe(429);
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    await age(owner.email, (Number(waiting.headers.get('retry-after')) + 1) * 1000);
    expect((await postLogin({ email: owner.email, password: owner.password })).status).toBe(302);
    // The run is over: the next typo is answered as a typo, not with a wait.
    expect((await postLogin({ email: owner.email, password: 'one-more-typo' })).status).toBe(400);
  });

  it('lets a browser that signed in to the account before skip the wait a stranger caused', async () => {
    const owner = await createTestUser(server.databasePath, 'moderator');
    const first = await postLogin({ email: owner.email, password: owner.password });
    expect(first.status).toBe(302);
    const device = first.headers.getSetCookie().find((c) => c.startsWith('__ikenbako_device='))!;
    expect(device).toMatch(/HttpOnly/i);
    expect(device).not.toContain(encodeURIComponent(owner.email));
    for (let i = 0; i < 5; i++) await postLogin({ email: owner.email, password: `stranger-${i}-password` });

    // A new browser waits; the owner's own does not, and still counts as an attempt.
    expect((await postLogin({ email: owner.email, password: owner.password })).status).toBe(429);
    const again = await postLogin({ email: owner.email, password: owner.password }, { Cookie: device.split(';')[0] });
    expect(again.status).toBe(302);
    // Another account's remembered browser is a stranger here.
    const strangerDevice = (await postLogin({ email: staff.email, password: staff.password })).headers.getSetCookie().find((c) => c.startsWith('__ikenbako_device='))!;
    for (let i = 0; i < 5; i++) await postLogin({ email: owner.email, password: `stranger-again-${i}` });
    expect((await postLogin({ email: owner.email, password: owner.password }, { Cookie: strangerDevice.split(';')[0] })).status).toBe(429);
    // A forged cookie is not a remembered browser.
    const forged = device.split(';')[0].replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await postLogin({ email: owner.email, password: owner.password }, { Cookie: forged })).status).toBe(429);
  });

  it('locks one client after five failures on any accounts, and only that client', async () => {
    const client = nextClient();
    for (let i = 0; i < 5; i++) await postLogin({ email: `guess${i}@example.jp`, password: 'guessing-password' }, { 'X-Forwarded-For': client });
    const locked = await postLogin({ email: staff.email, password: staff.password }, { 'X-Forwarded-For': client });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(13 * 60);
    expect(await locked.text()).toContain('この端末からのサインインを一時的に停止しています');
    expect((await postLogin({ email: staff.email, password: staff.password })).status).toBe(302);
  });
});

describe('sessions', () => {
  it('signs out with POST only, and the old cookie stops working', async () => {
    const cookie = await signIn(server.url, staff.email, staff.password, { 'X-Forwarded-For': nextClient() });
    expect((await get('/staff/logout', cookie)).status).toBe(405);
    const res = await postForm(`${server.url}/staff/logout`, {}, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/staff/login?signedOut=1');
    expect(res.headers.getSetCookie()[0]).toMatch(/__ikenbako_staff=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/);
    expect((await get('/staff', cookie)).status).toBe(302);
    expect((await auditRows('auth.logout')).some((r) => r.actor_id === staff.id)).toBe(true);
  });

  it('expires after 8 idle hours and keeps a session in use alive', async () => {
    const idle = await signIn(server.url, staff.email, staff.password, { 'X-Forwarded-For': nextClient() });
    const busy = await signIn(server.url, admin.email, admin.password, { 'X-Forwarded-For': nextClient() });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await db.updateTable('sessions').set({ last_seen_at: ago(8 * 3600_000 + 60_000) }).where('user_id', '=', staff.id).execute();
    await db.updateTable('sessions').set({ last_seen_at: ago(7 * 3600_000 + 59 * 60_000) }).where('user_id', '=', admin.id).execute();

    const staffSessions = async () => (await db.selectFrom('sessions').select('id').where('user_id', '=', staff.id).execute()).length;
    const before = await staffSessions();
    const res = await get('/staff', idle);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login\?redirectTo=/);
    // The expired row is gone (the others, also aged, wait for their own next use or a purge).
    expect(await staffSessions()).toBe(before - 1);

    expect((await get('/staff', busy)).status).toBe(200);
    const touched = await db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', admin.id).execute();
    expect(touched.every((s) => Date.now() - Date.parse(s.last_seen_at) < 60 * 60_000)).toBe(true);
  });

  it('ends 12 hours after sign-in however busy the session is', async () => {
    const old = await signIn(server.url, staff.email, staff.password, { 'X-Forwarded-For': nextClient() });
    const young = await signIn(server.url, admin.email, admin.password, { 'X-Forwarded-For': nextClient() });
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    // Both were used a moment ago; one was signed in 12 hours and a minute ago, the other 11 hours 58 minutes ago.
    await db.updateTable('sessions').set({ created_at: iso(now - 12 * 3600_000 - 60_000), last_seen_at: iso(now - 30_000) }).where('user_id', '=', staff.id).execute();
    await db.updateTable('sessions').set({ created_at: iso(now - 11 * 3600_000 - 58 * 60_000), last_seen_at: iso(now - 30_000) }).where('user_id', '=', admin.id).execute();
    const res = await get('/staff', old);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login\?redirectTo=/);
    expect((await get('/staff', young)).status).toBe(200);
  });

  it('refuses a POST from another origin, even with a valid session', async () => {
    const cookie = await signIn(server.url, admin.email, admin.password, { 'X-Forwarded-For': nextClient() });
    const attempts: Array<Record<string, string>> = [
      { Origin: 'https://evil.example' },
      { Referer: 'https://evil.example/form.html' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null' },
    ];
    for (const headers of attempts) {
      const res = await postForm(
        `${server.url}/staff/units`,
        { intent: 'create', name: `偽の部署${JSON.stringify(headers)}`, email: '' },
        { cookie, origin: null, headers },
      );
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(await res.text()).toContain('この送信元からの操作は受け付けられません');
    }
    const evilLogin = await postLogin({ email: staff.email, password: staff.password }, { Origin: 'https://evil.example' });
    expect(evilLogin.status).toBe(403);
    expect(await db.selectFrom('units').select('id').where('name', 'like', '偽の部署%').execute()).toHaveLength(0);
  });
});

function runCreate(args: string[], stdin?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn('npx', ['tsx', 'scripts/user-create.ts', ...args], {
      cwd: ROOT,
      env: { NODE_ENV: 'development', PATH: process.env.PATH, HOME: process.env.HOME, ...databaseEnv(server.databasePath) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (d) => (out += d));
    proc.stderr.on('data', (d) => (out += d));
    proc.stdin.end(stdin ?? '');
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

describe('npm run user:create', () => {
  it('prints a generated password once, which signs in', async () => {
    const { code, out } = await runCreate(['--email', 'Cli.User@Example.jp', '--name', '鈴木 一郎', '--role', 'moderator']);
    expect(code, out).toBe(0);
    const password = /Password: (\S+)/.exec(out)?.[1];
    expect(password && password.length).toBeGreaterThanOrEqual(16);
    const cookie = await signIn(server.url, 'cli.user@example.jp', password!, { 'X-Forwarded-For': nextClient() });
    // Generated, so it must be changed first (a --password-stdin one need not).
    expect((await get('/staff', cookie)).headers.get('location')).toBe('/staff/account/password');
    const html = (await (await get('/staff/account/password', cookie)).text()).replace(/<!-- -->/g, '');
    expect(html).toContain('鈴木 一郎（モデレーター）');
    expect((await auditRows('user.create')).some((r) => r.actor_label === 'cli')).toBe(true);
  });

  it('takes the password from stdin, never echoes it, and checks the policy', async () => {
    const ok = await runCreate(['--email', 'stdin@example.jp', '--name', '標準 入力', '--role', 'staff', '--password-stdin'], 'a-secret-from-stdin\n');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out).not.toContain('a-secret-from-stdin');
    const stdinCookie = await signIn(server.url, 'stdin@example.jp', 'a-secret-from-stdin', { 'X-Forwarded-For': nextClient() });
    // Set by the operator for automation: not marked "must change".
    expect((await get('/staff', stdinCookie)).status).toBe(200);

    const short = await runCreate(['--email', 'short@example.jp', '--name', '短い', '--role', 'staff', '--password-stdin'], 'elevenchars');
    expect(short.code).toBe(2);
    expect(short.out).toMatch(/12文字以上/);
  });

  it('exits with code 2 and one line on a duplicate or bad arguments', async () => {
    const dup = await runCreate(['--email', 'stdin@example.jp', '--name', '重複', '--role', 'staff']);
    expect(dup.code).toBe(2);
    expect(dup.out.trim().split('\n')).toHaveLength(1);
    expect(dup.out).toMatch(/既に登録されています.*already exists/);
    const bad = await runCreate(['--email', 'x@example.jp', '--name', '権限なし', '--role', 'root']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--role/);
    const missing = await runCreate([]);
    expect(missing.code).toBe(2);
  });
});

