// The audit log and an opinion's history read as Japanese, after real actions
// through the real server: action names, field names and values translated,
// before → after as lines, the target linked by its tracking number, and an
// unknown code still shown rather than breaking the page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

let server: TestServer;
let db: DB;
let admin: TestUser;
let cookie: string;
let reportId: number;
let opinion: { id: number; trackingNumber: string };
let unitId: number;

function post(path: string, fields: Record<string, string>) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

async function page(path: string): Promise<string> {
  const res = await fetch(server.url + path, { headers: { Cookie: cookie } });
  expect(res.status, path).toBe(200);
  return res.text();
}

/** What a reader sees: no scripts (Remix's data), no tags, entities decoded. */
function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ');
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await createTestUser(server.databasePath, 'admin', { displayName: '監査 一郎' });
  cookie = await signIn(server.url, admin.email, admin.password);
  db = openDatabase(server.databasePath).db;
  reportId = (await db.selectFrom('reports').select('id').executeTakeFirstOrThrow()).id;
  const now = new Date().toISOString();
  const row = await db
    .insertInto('opinions')
    .values({
      tracking_number: 'XZ-2026-AUDT-0001',
      receipt_token: 'audit-log-test-receipt-token-xxxxxxxx',
      report_id: reportId,
      section_number: 3,
      item_number: 2,
      body: '歩道の段差をなくしてほしいです。',
      public_ok: 1,
      channel: 'web',
      received_at: now,
      due_at: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'tracking_number'])
    .executeTakeFirstOrThrow();
  opinion = { id: row.id, trackingNumber: row.tracking_number };

  // Real actions, as the console sends them.
  expect((await post('/staff/units', { intent: 'create', name: '都市管理課', email: 'toshi@example.jp' })).status).toBeLessThan(400);
  unitId = (await db.selectFrom('units').select('id').where('name', '=', '都市管理課').executeTakeFirstOrThrow()).id;
  const o = `/staff/opinions/${opinion.id}`;
  expect((await post(o, { intent: 'status', status: 'in_progress', duplicateOf: '' })).status).toBe(200);
  expect((await post(o, { intent: 'assign', unitId: String(unitId), assigneeId: String(admin.id) })).status).toBe(200);
  expect((await post(o, { intent: 'due', dueDate: '2030-01-15' })).status).toBe(200);
  expect((await post(o, { intent: 'note', body: '一行目\n二行目' })).status).toBe(200);
  const publish = await post(`${o}/reply`, { intent: 'publish', body: '来月、段差を解消します。', showOpinion: 'on', redactedOpinion: '歩道の段差をなくしてほしいです。' });
  expect(publish.status, await publish.clone().text()).toBeLessThan(400);
  expect((await fetch(`${server.url}/staff/export.csv?unitId=${unitId}&status=in_progress`, { headers: { Cookie: cookie } })).status).toBe(200);
  // A code this version does not know (an older release's, a script's) and a value that is not JSON.
  await db
    .insertInto('audit_log')
    .values({ actor_id: null, actor_label: 'system', action: 'legacy.cleanup', entity_type: 'opinion', entity_id: String(opinion.id), before_json: '{not json', after_json: '{"count":3}', created_at: new Date().toISOString() })
    .execute();
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('/staff/audit', () => {
  it('names every action in Japanese and shows before → after as readable lines', async () => {
    const html = await page('/staff/audit');
    const text = visibleText(html);
    for (const label of ['サインイン', '担当部署の追加', '状態の変更', '担当の変更', '回答期限の変更', 'メモの追加', '公式回答の公開', '意見の書き出し(CSV)']) {
      expect(text, label).toContain(label);
    }
    expect(text).toContain('状態:受付 → 対応中');
    expect(text).toContain('担当部署:(なし) → 都市管理課');
    expect(text).toContain('担当者:(なし) → 監査 一郎');
    expect(text).toMatch(/回答期限:\d{4}年\d{1,2}月\d{1,2}日 → 2030年1月15日(?! \d{2}:)/);
    // A reply's status is a reply's, booleans are words, dates are local.
    expect(text).toContain('状態:公開中');
    expect(text).toContain('意見もあわせて公開:はい');
    expect(text).toMatch(/公開日時:\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    // A new unit lists what it was given.
    expect(text).toContain('名称:都市管理課');
    expect(text).toContain('メールアドレス:toshi@example.jp');
    // The export's filters, with the unit's name rather than its id.
    expect(text).toContain('書き出しの条件:状態:対応中、担当部署:都市管理課');
    // A note keeps its line break as a line break, never as a literal \n.
    expect(html).toMatch(/内容:一行目\n二行目/);
  });

  it('speaks no code: no action names, English keys or JSON', async () => {
    const text = visibleText(await page('/staff/audit'));
    for (const code of ['reply.publish', 'opinion.status', 'opinion.assign', 'opinion.due', 'opinion.note', 'unit.create', 'auth.login', 'opinion.export']) {
      expect(text, code).not.toContain(code);
    }
    for (const key of ['showOpinion', 'dueAt', 'duplicateOf', 'displayName', 'published', 'in_progress', '{"', '\\n']) {
      expect(text, key).not.toContain(key);
    }
  });

  it('links an opinion by its tracking number', async () => {
    const html = await page('/staff/audit');
    expect(html).toMatch(new RegExp(`<a [^>]*href="/staff/opinions/${opinion.id}"[^>]*>意見 ${opinion.trackingNumber}</a>`));
    expect(html).not.toMatch(/opinion #\d/);
    expect(visibleText(html)).toContain('担当部署 都市管理課');
  });

  it('shows an unknown action as its code, and a value that is not JSON as written', async () => {
    const html = await page('/staff/audit?action=legacy.cleanup');
    expect(html).toContain('<code>legacy.cleanup</code>');
    const text = visibleText(html);
    expect(text).toContain('変更前:{not json');
    expect(text).toContain('count:3');
  });

  it('says how many records there are and which are shown', async () => {
    const all = visibleText(await page('/staff/audit'));
    expect(all).toMatch(/(\d+)件中 1〜\1件目を表示/);
    const one = visibleText(await page(`/staff/audit?action=opinion.due`));
    expect(one).toContain('1件中 1〜1件目を表示');
    // The action filter offers labels, keeping the codes as values.
    expect(await page('/staff/audit')).toContain('<option value="reply.publish">公式回答の公開</option>');
  });
});

describe("an opinion's history", () => {
  it('reads in Japanese with before → after lines', async () => {
    const html = await page(`/staff/opinions/${opinion.id}`);
    const history = visibleText(html.slice(html.indexOf('id="history-title"')));
    for (const label of ['状態の変更', '担当の変更', '回答期限の変更', 'メモの追加', '公式回答の公開']) expect(history, label).toContain(label);
    expect(history).toContain('状態:受付 → 対応中');
    expect(history).toContain('状態:公開中');
    expect(history).toContain('意見もあわせて公開:はい');
    expect(history).toContain('状態:対応中 → 回答済');
    expect(history).toContain('legacy.cleanup');
    for (const raw of ['reply.publish', 'opinion.status', 'showOpinion', 'published', '{"']) expect(history, raw).not.toContain(raw);
  });

  it('shows the deadline as a date: the form field, the history and the unit mail', async () => {
    const html = await page(`/staff/opinions/${opinion.id}`);
    expect(/<input[^>]*id="dueDate"[^>]*>/.exec(html)?.[0]).toContain('value="2030-01-15"');
    const history = visibleText(html.slice(html.indexOf('id="history-title"')));
    expect(history).toMatch(/→ 2030年1月15日(?! \d{2}:)/);
    expect(history).not.toContain('2030年1月15日 23:59');
    const [mail] = await db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', opinion.id).where('kind', '=', 'unit_notification').execute();
    expect(mail.text_body).toMatch(/回答期限:\d{4}年\d{1,2}月\d{1,2}日まで\n/);
  });
});
