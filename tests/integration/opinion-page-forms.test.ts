// The forms of an opinion's staff page through the real server: a refused
// form answers 400 with its message and keeps what was typed; the unit's
// notification is built in the shared mail envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let server: TestServer;
let db: DB;
let cookie: string;
let opinionId: number;
let trackingNumber: string;

function post(fields: Record<string, string>) {
  return fetch(`${server.url}/staff/opinions/${opinionId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

beforeAll(async () => {
  server = await startTestServer();
  const user = await createTestUser(server.databasePath, 'staff', { displayName: '窓口 次郎' });
  cookie = await signIn(server.url, user.email, user.password);
  db = openDatabase(server.databasePath).db;
  const reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: 'XZ-2026-FORM-0001',
      receipt_token: 'opinion-page-forms-receipt-token-xxxx',
      report_id: reportId,
      section_number: 0,
      item_number: null,
      body: '全体について <b>強調</b> & "引用"',
      channel: 'phone',
      received_at: now,
      due_at: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'tracking_number'])
    .executeTakeFirstOrThrow();
  opinionId = row.id;
  trackingNumber = row.tracking_number;
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a refused form', () => {
  it('refuses an impossible date with a Japanese message, keeping the date typed', async () => {
    const before = await db.selectFrom('opinions').select('due_at').where('id', '=', opinionId).executeTakeFirstOrThrow();
    const res = await post({ intent: 'due', dueDate: '2030-02-31' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('回答期限の日付が正しくありません');
    const input = /<input[^>]*id="dueDate"[^>]*>/.exec(html)?.[0];
    expect(input).toContain('value="2030-02-31"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-describedby="due-message"');
    expect(await db.selectFrom('opinions').select('due_at').where('id', '=', opinionId).executeTakeFirstOrThrow()).toEqual(before);
  });

  it('refuses a note over the limit, counting characters as people do, and keeps the text', async () => {
    const long = '👍'.repeat(2001);
    const res = await post({ intent: 'note', body: long });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('メモは2,000文字以内で入力してください。');
    expect(html).toContain(`>${long}</textarea>`);
    // 2,000 emoji are 2,000 characters: accepted.
    expect((await post({ intent: 'note', body: '👍'.repeat(2000) })).status).toBe(200);
  });

  it('cleans a note of invisible characters before storing it', async () => {
    expect((await post({ intent: 'note', body: '  確認\u200b済み\u202e\r\n次回連絡  ' })).status).toBe(200);
    const notes = await db.selectFrom('opinion_notes').select('body').where('opinion_id', '=', opinionId).orderBy('id', 'desc').execute();
    expect(notes[0].body).toBe('確認済み\n次回連絡');
  });

  it('answers an unknown or missing intent with one message', async () => {
    for (const fields of [{ intent: 'delete' }, {}] as Array<Record<string, string>>) {
      const res = await post(fields);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('操作の種類が正しくありません');
    }
  });
});

describe("the unit's notification", () => {
  it('comes in the shared envelope: one HTML document, everything typed escaped, the deadline as a date', async () => {
    const unit = await db
      .insertInto('units')
      .values({ name: '総務課 <本庁>', email: 'somu@example.jp', retired_at: null, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await post({ intent: 'assign', unitId: String(unit.id), assigneeId: '' })).status).toBe(200);
    const mail = await db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', opinionId).where('kind', '=', 'unit_notification').executeTakeFirstOrThrow();
    expect(mail.subject).toBe(`[担当 ${trackingNumber}] 通報全体`);
    expect(mail.html_body.startsWith('<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>')).toBe(true);
    expect(mail.html_body.match(/<html/g)).toHaveLength(1);
    expect(mail.html_body).toContain('全体について &lt;b&gt;強調&lt;/b&gt; &amp; &quot;引用&quot;');
    expect(mail.html_body).toContain('総務課 &lt;本庁&gt; ご担当者様');
    expect(mail.html_body).toContain(`<a href="http://localhost:3000/staff/opinions/${opinionId}">`);
    expect(mail.text_body).toContain('対象:通報全体');
    expect(mail.text_body).toMatch(/回答期限:\d{4}年\d{1,2}月\d{1,2}日まで\n/);
    expect(mail.text_body).toMatch(/受付日時:\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}\(北京時間\)/);
    // The citizen's contact stays on the staff page.
    expect(mail.text_body).not.toContain('somu@example.jp');
  });
});
