// Sign-in under a burst of parallel guesses: each attempt is counted before its
// (slow, asynchronous) password check, so 50 wrong passwords at once get no
// more checks than 50 one after another would. Refused attempts are audited as
// one row per account, not one each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let target: TestUser;
let other: TestUser;

function postLogin(email: string, password: string, client: string) {
  return fetch(`${server.url}/staff/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, 'X-Forwarded-For': client },
    body: new URLSearchParams({ email, password }),
  });
}

async function auditCount(where: { action?: string; actorLabel?: string }) {
  let q = db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (where.action) q = q.where('action', '=', where.action);
  if (where.actorLabel) q = q.where('actor_label', '=', where.actorLabel);
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

async function verifiedAttempts(email: string) {
  const rows = await db.selectFrom('login_attempts').select('id').where('email', '=', email).execute();
  return rows.length;
}

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1' });
  target = await createTestUser(server.databasePath, 'admin');
  other = await createTestUser(server.databasePath, 'staff');
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('parallel wrong passwords', () => {
  it('50 at once on one account from 50 clients: at most five are checked, the rest wait', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postLogin(target.email, `parallel-guess-${i}`, `203.0.113.${i + 1}`)),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 400 || s === 429), statuses.join(',')).toBe(true);
    // Verifications, counted two ways: the attempts recorded (one per check) and the failures audited.
    expect(await verifiedAttempts(target.email)).toBe(5);
    expect(await auditCount({ action: 'auth.login_failed', actorLabel: target.email })).toBe(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(45);
    const refused = answers.find((r) => r.status === 429)!;
    expect(await refused.text()).toContain('このアカウントへのサインインの失敗が続いたため');
  });

  it('50 at once from one client on other accounts: at most five are checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postLogin(`spray-${i}@example.jp`, 'spraying-password', '198.51.100.99')),
    );
    const checked = await db.selectFrom('login_attempts').select('id').where('email', 'like', 'spray-%').execute();
    expect(checked).toHaveLength(5);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(45);
    // That client is locked even for a real account with the right password; another client is not.
    expect((await postLogin(other.email, other.password, '198.51.100.99')).status).toBe(429);
    expect((await postLogin(other.email, other.password, '198.51.100.100')).status).toBe(302);
  });
});

describe('refused attempts in the audit log', () => {
  it('are written as one row per account with the count, not one row each', async () => {
    // Nothing is written per refusal while the server runs…
    expect(await auditCount({ action: 'auth.refused' })).toBe(0);
    const before = await auditCount({});
    await Promise.all(Array.from({ length: 10 }, (_, i) => postLogin(target.email, `more-${i}`, `203.0.113.${100 + i}`)));
    expect(await auditCount({})).toBe(before);

    // …and at shutdown (or when the 15-minute window ends) each account's count is written once.
    expect(await server.stop()).toBe(0);
    const rows = await db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.refused').orderBy('id').execute();
    const byEmail = new Map(rows.map((r) => [r.actor_label, JSON.parse(r.after_json!)]));
    expect(rows.length).toBe(byEmail.size);
    const targetRow = byEmail.get(target.email);
    // 45 of the first burst (50 less the five checked) and these 10.
    expect(targetRow.refused).toBe(55);
    expect(targetRow.byScope.account).toBe(targetRow.refused);
    expect(byEmail.get(other.email)?.byScope).toEqual({ account: 0, client: 1 });
  });
});
