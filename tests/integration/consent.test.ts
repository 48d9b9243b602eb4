// Consent is never silently lost (issue 11): staff record a citizen's
// withdrawal of consent (by phone, letter…), audited, and the shown opinion
// leaves the public pages at once while the reply stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_SLUG } from '../helpers/db';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let server: TestServer;
let db: DB;
let staffCookie: string;
let moderatorCookie: string;
let staffId: number;

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '100' });
  db = openDatabase(server.databasePath).db;
  const [staff, moderator] = await Promise.all([createTestUser(server.databasePath, 'staff'), createTestUser(server.databasePath, 'moderator')]);
  staffId = staff.id;
  [staffCookie, moderatorCookie] = await Promise.all([signIn(server.url, staff.email, staff.password), signIn(server.url, moderator.email, moderator.password)]);
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

async function submit(body: string): Promise<{ id: number; trackingNumber: string }> {
  const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
    body: new URLSearchParams({ section: '5', body, publicOk: 'on', consent: 'on', email: 'citizen@example.jp' }),
  });
  expect(res.status).toBe(303);
  const row = await db.selectFrom('opinions').select(['id', 'tracking_number']).where('body', '=', body).executeTakeFirstOrThrow();
  return { id: row.id, trackingNumber: row.tracking_number };
}

const post = (path: string, cookie: string, fields: Record<string, string>) => postForm(`${server.url}${path}`, fields, { cookie });

const publicPage = async () => (await fetch(`${server.url}/reports/${BUNDLED_SLUG}/sections/5/replies`)).text();

describe('a withdrawal of consent recorded by staff', () => {
  it('unpublishes the shown opinion at once, keeps the reply, and is audited', async () => {
    const op = await submit('ベンチを増やしてほしいです。高齢者が休めません。');
    const published = await post(`/staff/opinions/${op.id}/reply`, moderatorCookie, {
      intent: 'publish',
      body: 'ベンチを三基増設します。',
      showOpinion: 'on',
      redactedOpinion: 'ベンチを増やしてほしいです。高齢者が休めません。',
    });
    expect(published.status).toBe(302);
    // Served twice, so the page cache holds it.
    expect(await publicPage()).toContain('高齢者が休めません。');
    expect(await publicPage()).toContain('ベンチを三基増設します。');

    // Staff (not only moderators) take the call and record it.
    const refusedWithoutTick = await post(`/staff/opinions/${op.id}`, staffCookie, { intent: 'consent', via: 'phone', note: '' });
    expect(refusedWithoutTick.status).toBe(400);
    expect(await refusedWithoutTick.text()).toContain('撤回の申し出を受けたことを確認し、チェックしてください。');
    expect((await db.selectFrom('opinions').select('public_ok').where('id', '=', op.id).executeTakeFirstOrThrow()).public_ok).toBe(1);

    const recorded = await post(`/staff/opinions/${op.id}`, staffCookie, { intent: 'consent', via: 'phone', note: '12月1日 電話で本人から申し出', confirm: 'on' });
    expect(recorded.status).toBe(200);
    expect(await recorded.text()).toContain('公開への同意の撤回を記録しました。');

    const page = await publicPage();
    expect(page).not.toContain('高齢者が休めません。');
    expect(page).toContain('ベンチを三基増設します。');
    const track = await (await fetch(`${server.url}/track?number=${op.trackingNumber}`)).text();
    expect(track).toContain('ベンチを三基増設します。');
    expect(track).not.toContain('高齢者が休めません。');

    const row = await db.selectFrom('opinions').select('public_ok').where('id', '=', op.id).executeTakeFirstOrThrow();
    expect(row.public_ok).toBe(0);
    const audit = await db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(op.id)).where('action', '=', 'opinion.consent_withdrawn').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(staffId);
    expect(JSON.parse(audit[0].before_json!)).toEqual({ publicOk: true });
    expect(JSON.parse(audit[0].after_json!)).toEqual({ publicOk: false, via: 'phone', note: '12月1日 電話で本人から申し出', shownOpinionRemoved: true });

    // The editor cannot show it again.
    const again = await post(`/staff/opinions/${op.id}/reply`, moderatorCookie, {
      intent: 'publish',
      body: 'ベンチを三基増設します。',
      showOpinion: 'on',
      redactedOpinion: 'ベンチを増やしてほしいです。',
    });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('公開に同意していない');

    // The staff page says so, and a second record changes nothing.
    const staffPage = await (await fetch(`${server.url}/staff/opinions/${op.id}`, { headers: { Cookie: staffCookie } })).text();
    expect(staffPage).toContain('投稿者は意見の公開に同意していません(または同意を撤回しました)。');
    const twice = await post(`/staff/opinions/${op.id}`, staffCookie, { intent: 'consent', via: 'post', note: '', confirm: 'on' });
    expect(await twice.text()).toContain('変更はありませんでした。');
    expect(await db.selectFrom('audit_log').select('id').where('entity_id', '=', String(op.id)).where('action', '=', 'opinion.consent_withdrawn').execute()).toHaveLength(1);
  });

  it('is refused to someone signed out', async () => {
    const op = await submit('街灯の間隔が広すぎます。増設をお願いします。');
    const res = await post(`/staff/opinions/${op.id}`, '', { intent: 'consent', via: 'phone', confirm: 'on' });
    expect([302, 303, 401, 403]).toContain(res.status);
    expect((await db.selectFrom('opinions').select('public_ok').where('id', '=', op.id).executeTakeFirstOrThrow()).public_ok).toBe(1);
  });
});
