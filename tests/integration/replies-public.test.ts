// Over HTTP against the production server: a citizen writes their own name,
// email and phone into an opinion; a moderator publishes it with a reply; no
// public page carries any of those details.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { BUNDLED_SLUG } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn, type TestUser } from '../helpers/staff';

const citizen = { name: '穂積 澄香', email: 'sumika.hozumi@example.jp', phone: '090-8765-4321' };
const OPINION =
  '穂積澄香と申します。第三項の歩道の段差について、夜間に転びそうになりました。\n' +
  '連絡は 090-8765-4321 か sumika.hozumi@example.jp へお願いします。(ＳＵＭＩＫＡ．ＨＯＺＵＭＩ＠ＥＸＡＭＰＬＥ．ＪＰ でも可)\n' +
  '０９０８７６５４３２１ ／ 穂積 澄香';
const REPLY = 'ご意見ありがとうございます。\n段差は来月までに解消する予定です。';

let server: TestServer;
let moderator: TestUser;
let staff: TestUser;
let admin: TestUser;
let modCookie: string;
let opinion: { id: number; trackingNumber: string };

function unescapeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function post(path: string, cookie: string, fields: Record<string, string>) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

/** Every way the citizen's details could show up in a page or its embedded data. */
function leakedDetails(html: string): string[] {
  const unicodeEscaped = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const needles = [
    '穂積 澄香',
    '穂積澄香',
    '穂積',
    '澄香',
    unicodeEscaped('穂積'),
    unicodeEscaped('澄香'),
    'sumika',
    'SUMIKA',
    'ＳＵＭＩＫＡ',
    'hozumi',
    '090-8765-4321',
    '09087654321',
    '8765-4321',
    '87654321',
    '０９０８７６５４３２１',
  ];
  const lower = html.toLowerCase();
  return needles.filter((n) => html.includes(n) || lower.includes(n.toLowerCase()));
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  [moderator, staff, admin] = await Promise.all([
    createTestUser(server.databasePath, 'moderator'),
    createTestUser(server.databasePath, 'staff'),
    createTestUser(server.databasePath, 'admin'),
  ]);
  modCookie = await signIn(server.url, moderator.email, moderator.password);
});
afterAll(async () => {
  await server?.stop();
});

describe('a published reply over HTTP', () => {
  it('takes the opinion through the public form', async () => {
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '3', item: '1', body: OPINION, ...citizen, publicOk: 'on', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/receipts\//);
    const { db } = openDatabase(server.databasePath);
    try {
      const row = await db.selectFrom('opinions').select(['id', 'tracking_number', 'public_ok', 'body']).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(row.public_ok).toBe(1);
      expect(row.body).toContain('穂積澄香');
      opinion = { id: row.id, trackingNumber: row.tracking_number };
    } finally {
      await db.destroy();
    }
  });

  it('shows the moderator the original and a pre-redacted copy', async () => {
    const res = await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: modCookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('元の意見(職員のみ閲覧できます)');
    expect(html).toContain('穂積澄香と申します'); // staff see the original
    const copy = unescapeHtml(/<textarea[^>]*id="redactedOpinion"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)![1]);
    expect(copy).toContain('●●●と申します');
    expect(leakedDetails(copy)).toEqual([]);
  });

  it('refuses the reply page to staff without the moderator role, and sends anonymous people to sign in', async () => {
    const staffCookie = await signIn(server.url, staff.email, staff.password);
    const page = await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: staffCookie } });
    expect(page.status).toBe(403);
    const action = await post(`/staff/opinions/${opinion.id}/reply`, staffCookie, { intent: 'publish', body: 'x' });
    expect(action.status).toBe(403);
    const anonymous = await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toContain('/staff/login');
    const templates = await fetch(`${server.url}/staff/templates`, { headers: { Cookie: staffCookie } });
    expect(templates.status).toBe(403);
  });

  it('lets an admin write a template that a moderator inserts without JavaScript', async () => {
    const adminCookie = await signIn(server.url, admin.email, admin.password);
    const created = await post('/staff/templates', adminCookie, { intent: 'create', title: '段差の補修', body: '担当部署で現地を確認しました。' });
    expect(created.status).toBe(200);
    expect(await created.text()).toContain('テンプレート「段差の補修」を追加しました。');
    // Moderators read templates but cannot change them.
    expect((await fetch(`${server.url}/staff/templates`, { headers: { Cookie: modCookie } })).status).toBe(200);
    expect((await post('/staff/templates', modCookie, { intent: 'create', title: 't', body: 'b' })).status).toBe(403);

    const page = await (await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: modCookie } })).text();
    const templateId = /<option value="(\d+)">段差の補修<\/option>/.exec(page)![1];
    const inserted = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'template', templateId, body: '書きかけの回答', redactedOpinion: 'x' });
    expect(inserted.status).toBe(200);
    const html = await inserted.text();
    const body = unescapeHtml(/<textarea[^>]*id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)![1]);
    expect(body).toBe('書きかけの回答\n\n担当部署で現地を確認しました。');
  });

  it('previews the entry exactly as the public list renders it', async () => {
    const res = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'preview', body: REPLY, showOpinion: 'on', redactedOpinion: '●●●と申します。段差が危ないです。' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('プレビュー(公開ページでの表示)');
    expect(html).toMatch(/<article id="reply-0" class="reply-entry"/);
    expect(html).toContain('段差は来月までに解消する予定です。');
  });

  it('refuses to publish a copy that still names the citizen, with a 400 and a Japanese message', async () => {
    const res = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'publish', body: REPLY, showOpinion: 'on', redactedOpinion: '穂積 澄香です' });
    expect(res.status).toBe(400);
    const html = (await res.text()).replaceAll('<!-- -->', '');
    expect(html).toContain('公開する意見に、個人情報の可能性がある箇所が1件あります。');
    // Listed for the moderator, beside a tick box.
    expect(html).toContain('確認済み:「穂積 澄香」は個人情報ではありません');
  });

  it('publishes with the opinion shown, and no public page carries the name, email or phone', async () => {
    const page = await (await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: modCookie } })).text();
    const copy = unescapeHtml(/<textarea[^>]*id="redactedOpinion"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]);
    const res = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'publish', body: REPLY, showOpinion: 'on', redactedOpinion: copy });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/staff/opinions/${opinion.id}/reply?done=publish&mail=1`);

    const replies = `/reports/${BUNDLED_SLUG}/sections/3/replies`;
    for (const path of ['/', `/reports/${BUNDLED_SLUG}`, replies, `${replies}.data`, `/track?number=${opinion.trackingNumber}`]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(leakedDetails(html), path).toEqual([]);
      if (path !== '/') expect(html, path).toContain('段差は来月までに解消する予定です。');
    }

    const html = await (await fetch(server.url + replies)).text();
    expect(html).toMatch(/<article id="reply-\d+" class="reply-entry"/);
    expect(html).toContain('寄せられた意見と回答(1件)');
    expect(html).toContain('●●●と申します。第三項の歩道の段差について');
    expect(html).not.toContain(opinion.trackingNumber);
    // Line breaks are kept as text in a pre-wrap block, not turned into markup.
    expect(html).toMatch(/<p class="user-text">ご意見ありがとうございます。\n段差は来月までに解消する予定です。<\/p>/);
  });

  it('queues the email to the citizen with the reply, its link and the channels', async () => {
    const { db } = openDatabase(server.databasePath);
    try {
      const mails = await db.selectFrom('outbox_messages').selectAll().where('opinion_id', '=', opinion.id).where('kind', '=', 'citizen_reply').execute();
      expect(mails).toHaveLength(1);
      expect(mails[0].recipient).toBe(citizen.email);
      expect(mails[0].text_body).toContain('段差は来月までに解消する予定です。');
      expect(mails[0].text_body).toMatch(new RegExp(`/reports/${BUNDLED_SLUG}/sections/3/replies#reply-\\d+`));
      expect(mails[0].text_body).toContain('0573-827222911');
    } finally {
      await db.destroy();
    }
  });

  it('answers 404 for an unknown slug, section, non-numeric section or page out of range', async () => {
    for (const path of [
      '/reports/no-such-report/sections/3/replies',
      `/reports/${BUNDLED_SLUG}/sections/99/replies`,
      `/reports/${BUNDLED_SLUG}/sections/abc/replies`,
      `/reports/${BUNDLED_SLUG}/sections/3/replies?page=9`,
      `/reports/${BUNDLED_SLUG}/sections/3/replies?page=x`,
    ]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain('ページが見つかりません');
    }
    const empty = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/sections/4/replies`);
    expect(empty.status).toBe(200);
    expect(await empty.text()).toContain('この項目への回答はまだ公開されていません。');
  });

  it('withdraws the reply only with a reason', async () => {
    const noReason = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'unpublish', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain('公開を取り下げる理由を入力してください。');
    const res = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'unpublish', reason: '内容を再確認するため' });
    expect(res.status).toBe(302);
    const html = await (await fetch(`${server.url}/reports/${BUNDLED_SLUG}/sections/3/replies`)).text();
    expect(html).not.toContain('段差は来月までに解消する予定です。');
  });

  it('no longer says 回答済 on /track once the reply is withdrawn, and the editor says where the opinion went back to', async () => {
    const track = await (await fetch(`${server.url}/track?number=${opinion.trackingNumber}`)).text();
    expect(track).toContain('回答はまだ公開されていません。');
    expect(track).not.toContain('回答済');
    // The opinion came in through the form (受付) and goes back there.
    expect(track).toMatch(/<strong class="status-label">受付<\/strong>/);
    const editor = await (await fetch(`${server.url}/staff/opinions/${opinion.id}/reply?done=unpublish`, { headers: { Cookie: modCookie } })).text();
    expect(editor).toContain('回答の公開を取り下げました。意見の状態は「受付」です。');
    // The report page (served from its cache) drops the reply at once: the model invalidated it.
    const report = await (await fetch(`${server.url}/reports/${BUNDLED_SLUG}`)).text();
    expect(report).not.toContain('段差は来月までに解消する予定です。');
  });
});

describe('the forms over HTTP (issue 9, issue 18)', () => {
  let adminCookie: string;
  beforeAll(async () => {
    adminCookie = await signIn(server.url, admin.email, admin.password);
  });

  async function templateRows(title: string) {
    const { db } = openDatabase(server.databasePath);
    try {
      return await db.selectFrom('reply_templates').select('id').where('title', '=', title).execute();
    } finally {
      await db.destroy();
    }
  }

  it('refuses a duplicate template title with a 400, a Japanese message beside the title, and nothing written', async () => {
    const first = await post('/staff/templates', adminCookie, { intent: 'create', title: '受付のお礼', body: 'ご意見ありがとうございます。' });
    expect(first.status).toBe(200);
    const second = await post('/staff/templates', adminCookie, { intent: 'create', title: '受付のお礼', body: '別の本文' });
    expect(second.status).toBe(400);
    const html = await second.text();
    expect(html).toContain('件名「受付のお礼」のテンプレートはすでにあります。');
    expect(html).toMatch(/<input[^>]*id="new-title"[^>]*aria-invalid="true"/);
    // What was typed is kept.
    expect(html).toContain('別の本文');
    expect(await templateRows('受付のお礼')).toHaveLength(1);
  });

  it('answers an unknown intent or a bad template id with a 400, not a 500', async () => {
    const intent = await post('/staff/templates', adminCookie, { intent: 'delete', templateId: '1' });
    expect(intent.status).toBe(400);
    expect(await intent.text()).toContain('操作の種類が正しくありません。');
    const id = await post('/staff/templates', adminCookie, { intent: 'retire', templateId: 'abc' });
    expect(id.status).toBe(400);
    expect(await id.text()).toContain('テンプレートの指定が正しくありません。');
    const reply = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'erase', body: 'x' });
    expect(reply.status).toBe(400);
    expect(await reply.text()).toContain('操作の種類が正しくありません。');
  });

  it('counts the reply in code points: 10,000 emoji pass the (multipart) form, 10,001 characters are a 400 that keeps the text', async () => {
    const multipart = (body: string) => {
      const form = new FormData();
      form.set('intent', 'preview');
      form.set('body', body);
      form.set('redactedOpinion', '');
      return fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { method: 'POST', headers: { Origin: server.url, Cookie: modCookie }, body: form });
    };
    const ok = await multipart('👍'.repeat(10_000));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('👍'.repeat(10_000));
    const tooLong = await multipart('あ'.repeat(10_001));
    expect(tooLong.status).toBe(400);
    const html = await tooLong.text();
    expect(html).toContain('回答は10,000文字以内で入力してください。');
    expect(html).toContain('あ'.repeat(10_001));
  });

  it('answers 404 for an opinion id that is not a number or does not exist', async () => {
    for (const id of ['abc', '0', '99999999']) {
      const res = await fetch(`${server.url}/staff/opinions/${id}/reply`, { headers: { Cookie: modCookie } });
      expect(res.status, id).toBe(404);
    }
  });
});
