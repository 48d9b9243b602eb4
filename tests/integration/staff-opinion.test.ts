// The staff console over HTTP against the real production server: actions on
// one opinion (each audited before → after), recording a phone opinion, and
// the CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewOpinion } from '../../db/schema';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let user: TestUser;
let cookie: string;
let reportId: number;
let unitId: number;
let seq = 0;

async function seedOpinion(values: Partial<NewOpinion> = {}): Promise<{ id: number; trackingNumber: string }> {
  seq += 1;
  const now = new Date(Date.now() - seq * 60_000).toISOString();
  const trackingNumber = `XZ-2026-TEST-${String(seq).padStart(4, '0')}`;
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: trackingNumber,
      receipt_token: `seeded-receipt-token-${seq}-xxxxxxxx`,
      report_id: reportId,
      section_number: 3,
      item_number: 1,
      body: '駐車場の案内表示が分かりにくいです。',
      channel: 'web',
      received_at: now,
      due_at: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      created_at: now,
      updated_at: now,
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, trackingNumber };
}

function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie, ...headers },
    body: new URLSearchParams(fields),
  });
}

function get(path: string) {
  return fetch(server.url + path, { redirect: 'manual', headers: { Cookie: cookie } });
}

async function auditFor(opinionId: number, action: string) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('entity_type', '=', 'opinion')
    .where('entity_id', '=', String(opinionId))
    .where('action', '=', action)
    .orderBy('id', 'desc')
    .execute();
}

beforeAll(async () => {
  server = await startTestServer();
  user = await createTestUser(server.databasePath, 'staff', { displayName: '佐藤職員' });
  cookie = await signIn(server.url, user.email, user.password);
  db = openDatabase(server.databasePath).db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  unitId = (
    await db
      .insertInto('units')
      .values({ name: '都市管理課', email: 'toshi@example.jp', retired_at: null, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('actions on one opinion', () => {
  it('shows the opinion with its section linked to the public page', async () => {
    const o = await seedOpinion({ name: '山田花子', email: 'hanako@example.jp' });
    const res = await get(`/staff/opinions/${o.id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(o.trackingNumber);
    expect(html).toContain('href="/reports/xiuzhou-inspection-2023#section-3-1"');
    expect(html).toContain('hanako@example.jp');
    expect(html).toContain('駐車場の案内表示');
  });

  it('answers an unknown or malformed id with a Japanese 404', async () => {
    for (const path of ['/staff/opinions/999999', '/staff/opinions/abc']) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('この意見は見つかりません');
    }
  });

  it('changes the status and audits who, before and after', async () => {
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'status', status: 'triaged', duplicateOf: '' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('状態を変更しました');
    const row = await db.selectFrom('opinions').select('status').where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('triaged');
    const [audit] = await auditFor(o.id, 'opinion.status');
    expect(audit.actor_id).toBe(user.id);
    expect(JSON.parse(audit.before_json!)).toEqual({ status: 'new', duplicateOf: null });
    expect(JSON.parse(audit.after_json!)).toEqual({ status: 'triaged', duplicateOf: null });
  });

  it('refuses a duplicate pointing at an unknown tracking number with a Japanese 400', async () => {
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'status', status: 'duplicate', duplicateOf: 'XZ-2026-ZZZZ-ZZZZ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('の意見は見つかりません');
    const row = await db.selectFrom('opinions').select(['status', 'duplicate_of_id']).where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'new', duplicate_of_id: null });
    expect(await auditFor(o.id, 'opinion.status')).toHaveLength(0);
  });

  it('marks a duplicate of another existing opinion', async () => {
    const first = await seedOpinion();
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'status', status: 'duplicate', duplicateOf: first.trackingNumber.toLowerCase() });
    expect(res.status).toBe(200);
    const row = await db.selectFrom('opinions').select(['status', 'duplicate_of_id']).where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'duplicate', duplicate_of_id: first.id });
    const [audit] = await auditFor(o.id, 'opinion.status');
    expect(JSON.parse(audit.after_json!)).toEqual({ status: 'duplicate', duplicateOf: first.trackingNumber });
    // Pointing at itself is refused.
    const self = await post(`/staff/opinions/${o.id}`, { intent: 'status', status: 'duplicate', duplicateOf: o.trackingNumber });
    expect(self.status).toBe(400);
  });

  it('assigns a unit and a person; a unit with an email gets a notification in the outbox', async () => {
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'assign', unitId: String(unitId), assigneeId: String(user.id) });
    expect(res.status).toBe(200);
    const row = await db.selectFrom('opinions').select(['unit_id', 'assignee_id']).where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ unit_id: unitId, assignee_id: user.id });
    const mail = await db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', o.id).where('kind', '=', 'unit_notification').execute();
    expect(mail).toHaveLength(1);
    expect(mail[0].recipient).toBe('toshi@example.jp');
    expect(mail[0].subject).toContain(`[担当 ${o.trackingNumber}] 第三項`);
    expect(mail[0].text_body).toContain(`/staff/opinions/${o.id}`);
    expect(mail[0].html_body).toContain(`/staff/opinions/${o.id}`);
    const [audit] = await auditFor(o.id, 'opinion.assign');
    expect(JSON.parse(audit.before_json!)).toEqual({ unit: null, assignee: null });
    expect(JSON.parse(audit.after_json!)).toEqual({ unit: '都市管理課', assignee: '佐藤職員' });
    // Assigning the same again changes nothing and sends nothing.
    const again = await post(`/staff/opinions/${o.id}`, { intent: 'assign', unitId: String(unitId), assigneeId: String(user.id) });
    expect(await again.text()).toContain('変更はありませんでした');
    expect(await db.selectFrom('outbox_messages').select('id').where('opinion_id', '=', o.id).execute()).toHaveLength(1);
    // The page lists the message and its delivery state.
    const page = await (await get(`/staff/opinions/${o.id}`)).text();
    expect(page).toContain('担当部署への通知');
    expect(page).toContain('toshi@example.jp');
  });

  it('refuses an unknown unit with a 400', async () => {
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'assign', unitId: '99999', assigneeId: '' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('担当部署は見つからない');
  });

  it('sets the due date to the end of that day in Shanghai, audited', async () => {
    const o = await seedOpinion();
    const before = (await db.selectFrom('opinions').select('due_at').where('id', '=', o.id).executeTakeFirstOrThrow()).due_at;
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'due', dueDate: '2030-01-15' });
    expect(res.status).toBe(200);
    const row = await db.selectFrom('opinions').select('due_at').where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row.due_at).toBe('2030-01-15T15:59:59.999Z');
    const [audit] = await auditFor(o.id, 'opinion.due');
    expect(JSON.parse(audit.before_json!)).toEqual({ dueAt: before });
    expect(JSON.parse(audit.after_json!)).toEqual({ dueAt: '2030-01-15T15:59:59.999Z' });
    expect((await post(`/staff/opinions/${o.id}`, { intent: 'due', dueDate: '2030-02-31' })).status).toBe(400);
  });

  it('adds an internal note, audited and shown on the page only', async () => {
    const o = await seedOpinion();
    const res = await post(`/staff/opinions/${o.id}`, { intent: 'note', body: '交通課に電話で確認済み<script>' });
    expect(res.status).toBe(200);
    const notes = await db.selectFrom('opinion_notes').selectAll().where('opinion_id', '=', o.id).execute();
    expect(notes).toHaveLength(1);
    expect(notes[0].author_id).toBe(user.id);
    const [audit] = await auditFor(o.id, 'opinion.note');
    expect(audit.before_json).toBe('null');
    expect(JSON.parse(audit.after_json!)).toMatchObject({ body: '交通課に電話で確認済み<script>' });
    const page = await (await get(`/staff/opinions/${o.id}`)).text();
    expect(page).toContain('交通課に電話で確認済み&lt;script&gt;');
    expect(page).toContain('メモの追加');
    expect((await post(`/staff/opinions/${o.id}`, { intent: 'note', body: '   ' })).status).toBe(400);
  });

  it('answers an unknown intent with 400 and a cross-origin post with 403', async () => {
    const o = await seedOpinion();
    const bad = await post(`/staff/opinions/${o.id}`, { intent: 'delete' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('操作の種類が正しくありません');
    const foreign = await post(`/staff/opinions/${o.id}`, { intent: 'status', status: 'closed' }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const row = await db.selectFrom('opinions').select('status').where('id', '=', o.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('new');
  });
});

describe('recording a phone opinion', () => {
  it('creates an opinion with a tracking number that joins the inbox, then shows the acknowledgement', async () => {
    const form = await get('/staff/opinions/new');
    expect(form.status).toBe(200);
    const html = await form.text();
    const token = /name="formToken" value="([^"]+)"/.exec(html)?.[1];
    expect(token).toBeTruthy();
    const recorded = {
      formToken: token!,
      channel: 'phone',
      receivedAt: '2026-11-20T09:30',
      target: `${reportId}:5:2`,
      body: '電話での意見です。公園の街灯が暗いので増やしてほしいとのこと。',
      name: '電話 太郎',
      phone: '0573-1234-5678',
      email: '',
      address: '嘉興市秀洲区○○路1号',
      replyWanted: 'on',
    };
    const res = await post('/staff/opinions/new', recorded);
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    const id = Number(/^\/staff\/opinions\/(\d+)\/ack$/.exec(location)?.[1]);
    expect(id).toBeGreaterThan(0);
    const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      channel: 'phone',
      section_number: 5,
      item_number: 2,
      consent: 1,
      reply_wanted: 1,
      client_hash: null,
      recorded_by_id: user.id,
      received_at: '2026-11-20T01:30:00.000Z',
      phone: '0573-1234-5678',
    });
    expect(row.tracking_number).toMatch(/^XZ-2026-/);
    expect(await auditFor(id, 'opinion.record')).toHaveLength(1);
    const notes = await db.selectFrom('opinion_notes').select('body').where('opinion_id', '=', id).execute();
    expect(notes).toEqual([]);
    expect(row.address).toBe('嘉興市秀洲区○○路1号');

    const ack = await get(location);
    expect(ack.status).toBe(200);
    const ackHtml = await ack.text();
    expect(ackHtml).toContain(row.tracking_number);
    expect(ackHtml).toContain('嘉興市秀洲区○○路1号');
    expect(ackHtml).toContain('http://localhost:3000/track');
    expect(ackHtml).toContain('0573-827222911');
    expect(ackHtml).toContain('電話 太郎 様');

    const inbox = await (await get('/staff?channel=phone')).text();
    expect(inbox).toContain(row.tracking_number);
    expect(inbox).toContain('電話');

    // The same form posted again (a double click) does not make a second opinion.
    const again = await post('/staff/opinions/new', recorded);
    expect(again.headers.get('location')).toBe(location);
  });

  it('keeps what was typed and explains each problem in Japanese', async () => {
    const res = await post('/staff/opinions/new', {
      channel: 'fax',
      receivedAt: '2099-01-01T00:00',
      target: `${reportId}:5:`,
      body: '短い',
      name: '記録 花子',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('受付方法(電話・郵便・来庁)を選んでください');
    expect(html).toContain('未来の日時は指定できません');
    expect(html).toContain('10文字以上');
    expect(html).toContain('value="記録 花子"');
    expect(await db.selectFrom('opinions').select('id').where('name', '=', '記録 花子').execute()).toHaveLength(0);
  });
});

describe('CSV export', () => {
  it('sends UTF-8 with a BOM, a Japanese header, RFC 4180 quoting and neutralized formulas', async () => {
    const o = await seedOpinion({ body: '=HYPERLINK("http://evil.example","クリック"),\r\n二行目', name: '@攻撃者', channel: 'post' });
    const res = await get('/staff/export.csv?channel=post');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="ikenbako-opinions-\d{8}-\d{4}\.csv"$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const [header] = text.split('\r\n');
    expect(header).toBe('受付番号,受付日時,受付経路,通報,項,項目名,小項目,状態,担当部署,担当者,回答期限,期限超過,氏名,意見');
    expect(text).toContain(`${o.trackingNumber},`);
    expect(text).toContain(`,'@攻撃者,"'=HYPERLINK(""http://evil.example"",""クリック""),\r\n二行目"\r\n`);
    expect(text).toContain(',郵便,');
    expect(text).not.toContain('駐車場の案内表示'); // web opinions filtered out
    expect(text.endsWith('\r\n')).toBe(true);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'opinion.export').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('sends anonymous visitors to sign in', async () => {
    const res = await fetch(`${server.url}/staff/export.csv`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/staff\/login/);
  });
});

describe('inbox and dashboard pages', () => {
  it('searches with highlights rendered as <mark> elements, keeping the filters in the links', async () => {
    await seedOpinion({ body: '駐車場が<b>狭い</b>です。' });
    const res = await get('/staff?q=%E9%A7%90%E8%BB%8A&channel=web');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<mark>駐車</mark>');
    expect(html).toContain('&lt;b&gt;狭い&lt;/b&gt;');
    expect(html).toMatch(/href="\/staff\/export\.csv\?channel=web&amp;q=%E9%A7%90%E8%BB%8A"/);
    const bad = await (await get('/staff?channel=fax&q=%22NEAR(')).text();
    expect(bad).toContain('次の条件は形式が正しくないため、無視しました:受付経路');
  });

  it('draws the dashboard chart as accessible SVG with the figures as a table', async () => {
    const res = await get('/staff/dashboard');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-\d+-title chart-\d+-desc"/);
    expect(html).toContain('<title id="chart-');
    expect(html).toContain('項ごとの意見数(表)');
    expect(html).toContain('最初の回答までの日数(中央値)');
    expect(html).toContain('—');
  });
});
