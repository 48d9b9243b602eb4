// A person's request about their data, through the real server: an admin
// finds their opinions by email (any case) or phone (any way of writing it),
// downloads the JSON copy, reviews and confirms the erasure; the audit log
// records both with a keyed hash, never the address. Only admins get in.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { listOpinions } from '~/models/inbox.server';
import { openDatabase, type DB } from '~/server/db.server';
import { onPostgres } from '../helpers/postgres';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const SLUG = 'xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let server: TestServer;
let db: DB;
const cookies: Record<'staff' | 'moderator' | 'admin', string> = { staff: '', moderator: '', admin: '' };
const opinions: Record<'first' | 'second' | 'other', { id: number; trackingNumber: string }> = {
  first: { id: 0, trackingNumber: '' },
  second: { id: 0, trackingNumber: '' },
  other: { id: 0, trackingNumber: '' },
};

async function sendOpinion(fields: Record<string, string>) {
  const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({
      section: '5',
      body: 'ごみの収集日を増やしてほしいです。',
      consent: 'on',
      replyWanted: 'on',
      ...fields,
    }),
  });
  expect(res.status).toBe(303);
  const html = await (await fetch(server.url + res.headers.get('location'))).text();
  const trackingNumber = TRACKING.exec(html)![0];
  const { id } = await db
    .selectFrom('opinions')
    .select('id')
    .where('tracking_number', '=', trackingNumber)
    .executeTakeFirstOrThrow();
  return { id, trackingNumber };
}

function post(path: string, fields: Record<string, string>, who: keyof typeof cookies = 'admin') {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookies[who], Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

const auditJson = async () =>
  (await db.selectFrom('audit_log').select(['action', 'before_json', 'after_json', 'entity_id']).execute())
    .map((r) => JSON.stringify(r))
    .join('\n');

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  db = openDatabase(server.databasePath).db;
  for (const role of ['staff', 'moderator', 'admin'] as const) {
    const user = await createTestUser(server.databasePath, role);
    cookies[role] = await signIn(server.url, user.email, user.password);
  }
  opinions.first = await sendOpinion({
    name: '山田 太郎',
    email: 'yamada.taro@example.jp',
    phone: '090-1234-5678',
    body: '公園のベンチを直してください。',
  });
  opinions.second = await sendOpinion({
    name: '山田 太郎',
    email: 'Yamada.Taro@Example.jp',
    phone: '+81 90 1234 5678',
    section: '6',
  });
  opinions.other = await sendOpinion({ name: '鈴木 花子', email: 'suzuki.hanako@example.jp', phone: '090-9999-0000' });
  // Let the outbox deliver the acknowledgements, so that the copy holds sent mail.
  for (const deadline = Date.now() + 15_000; ; ) {
    const pending = await db.selectFrom('outbox_messages').select('id').where('status', '!=', 'sent').execute();
    if (pending.length === 0) break;
    if (Date.now() > deadline) throw new Error('outbox did not deliver');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});

afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('who may use /staff/privacy', () => {
  it('sends the anonymous to sign in, refuses staff and moderators, and lets admins in without caching', async () => {
    const anonymous = await fetch(`${server.url}/staff/privacy`, { redirect: 'manual' });
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.get('location')).toMatch(/^\/staff\/login\?redirectTo=/);
    for (const who of ['staff', 'moderator'] as const) {
      expect((await fetch(`${server.url}/staff/privacy`, { headers: { Cookie: cookies[who] } })).status, who).toBe(403);
      expect(
        (await post('/staff/privacy', { intent: 'search', query: 'yamada.taro@example.jp' }, who)).status,
        who,
      ).toBe(403);
      expect((await post('/staff/privacy/export.json', { query: 'yamada.taro@example.jp' }, who)).status, who).toBe(
        403,
      );
      const erase = await post(
        '/staff/privacy',
        { intent: 'erase', query: 'yamada.taro@example.jp', opinionIds: String(opinions.first.id) },
        who,
      );
      expect(erase.status, who).toBe(403);
    }
    expect(
      (await db.selectFrom('opinions').select('email').where('id', '=', opinions.first.id).executeTakeFirstOrThrow())
        .email,
    ).toBe('yamada.taro@example.jp');
    const admin = await fetch(`${server.url}/staff/privacy`, { headers: { Cookie: cookies.admin } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('cache-control')).toBe('no-store');
    expect(await admin.text()).toContain('メールアドレスまたは電話番号');
    // The export route is reached from the form only.
    const exportGet = await fetch(`${server.url}/staff/privacy/export.json`, {
      headers: { Cookie: cookies.admin },
      redirect: 'manual',
    });
    expect(exportGet.status).toBe(303);
  });
});

describe('finding what is stored', () => {
  it('finds both opinions by email in any case, and not the other person', async () => {
    const res = await post('/staff/privacy', { intent: 'search', query: ' YAMADA.TARO@EXAMPLE.JP ' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('の意見 2件');
    expect(html).toContain(opinions.first.trackingNumber);
    expect(html).toContain(opinions.second.trackingNumber);
    expect(html).toContain('公園のベンチを直してください。');
    expect(html).not.toContain(opinions.other.trackingNumber);
    expect(html).not.toContain('鈴木');
  });

  it('finds them by phone written with full-width digits, without dashes or with a country code', async () => {
    for (const query of ['０９０１２３４５６７８', '+81-90-1234-5678', '9012345678']) {
      const html = await (await post('/staff/privacy', { intent: 'search', query })).text();
      expect(html, query).toContain(opinions.first.trackingNumber);
      expect(html, query).toContain(opinions.second.trackingNumber);
      expect(html, query).not.toContain(opinions.other.trackingNumber);
    }
    const none = await (await post('/staff/privacy', { intent: 'search', query: '090-0000-1111' })).text();
    expect(none).toContain('保存されている意見はありません。');
  });

  it('answers a bad query with 400 and the message beside the field, keeping what was typed', async () => {
    const short = await post('/staff/privacy', { intent: 'search', query: '12-3' });
    expect(short.status).toBe(400);
    const html = await short.text();
    expect(html).toContain('電話番号は数字6桁以上で入力してください');
    expect(html).toContain('value="12-3"');
    expect(html).toContain('aria-invalid="true"');
    expect((await post('/staff/privacy', { intent: 'search', query: '' })).status).toBe(400);
    expect((await post('/staff/privacy', { intent: 'drop-table', query: 'a@b.c' })).status).toBe(400);
    expect((await post('/staff/privacy', { intent: 'erase', query: 'a@b.c', opinionIds: '1;delete' })).status).toBe(
      400,
    );
  });
});

describe('the JSON copy', () => {
  it('holds every opinion with its text, dates, status and the mail sent to the person, and is audited by hash', async () => {
    const res = await post('/staff/privacy/export.json', { query: 'yamada.taro@example.jp' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="ikenbako-personal-data-\d{8}-\d{4}\.json"$/,
    );
    expect(res.headers.get('cache-control')).toBe('no-store');
    const file = await res.json();
    expect(file).toMatchObject({
      format: 'ikenbako-personal-data/1',
      searchedBy: 'email',
      searchedFor: 'yamada.taro@example.jp',
    });
    expect(file.opinions.map((o: { trackingNumber: string }) => o.trackingNumber)).toEqual([
      opinions.first.trackingNumber,
      opinions.second.trackingNumber,
    ]);
    const first = file.opinions[0];
    expect(first).toMatchObject({
      body: '公園のベンチを直してください。',
      name: '山田 太郎',
      email: 'yamada.taro@example.jp',
      phone: '090-1234-5678',
      channel: 'ウェブ',
      status: '受付',
      target: expect.stringContaining('第五項'),
      replyWanted: true,
      reply: null,
    });
    expect(first.receivedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first.messagesToYou).toHaveLength(1);
    expect(first.messagesToYou[0]).toMatchObject({ to: 'yamada.taro@example.jp', status: 'sent' });
    expect(first.messagesToYou[0].subject).toContain(opinions.first.trackingNumber);
    expect(JSON.stringify(file)).not.toContain('鈴木');

    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'opinion.privacy_export').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].after_json!)).toEqual({
      matchedBy: 'email',
      subjectHash: expect.stringMatching(/^[0-9a-f]{32}$/),
      opinions: 2,
    });
    expect(await auditJson()).not.toMatch(/yamada\.taro|1234-5678/i);
  });

  it("names the channel, status and target in the staff member's language, and leaves what was written as it was", async () => {
    const expected = {
      en: { channel: 'Web', status: 'Received', target: /^section 5/ },
      'zh-Hans': { channel: '网站', status: '已受理', target: /^第五项/ },
    };
    for (const [lng, words] of Object.entries(expected)) {
      const res = await fetch(`${server.url}/staff/privacy/export.json`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: `${cookies.admin}; lng=${lng}`, Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ query: 'yamada.taro@example.jp' }),
      });
      expect(res.status, lng).toBe(200);
      const first = (await res.json()).opinions[0];
      expect(first, lng).toMatchObject({ channel: words.channel, status: words.status, body: '公園のベンチを直してください。', name: '山田 太郎' });
      expect(first.target, lng).toMatch(words.target);
    }
  });
});

describe('erasing', () => {
  it('shows what will be erased and asks to confirm, changing nothing', async () => {
    const before = await db.selectFrom('opinions').selectAll().orderBy('id').execute();
    const res = await post('/staff/privacy', { intent: 'review-erase', query: 'yamada.taro@example.jp' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('消去の確認');
    expect(html).toContain('2件の意見から個人情報を消去する');
    expect(html).toContain(`name="opinionIds" value="${opinions.first.id},${opinions.second.id}"`);
    expect(html).toContain('やめて検索結果に戻る');
    expect(await db.selectFrom('opinions').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('erases only the reviewed opinions that still match', async () => {
    // The other person's opinion id, with this person's email: nothing happens to it.
    const res = await post('/staff/privacy', {
      intent: 'erase',
      query: 'yamada.taro@example.jp',
      opinionIds: String(opinions.other.id),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('消去する意見はありませんでした');
    expect(
      (await db.selectFrom('opinions').select('name').where('id', '=', opinions.other.id).executeTakeFirstOrThrow())
        .name,
    ).toBe('鈴木 花子');
  });

  it('removes the name, contact details, client hash and user agent, keeps the text, and masks the mail copies', async () => {
    // Without SMTP_URL the server wrote each message as an .eml file too.
    const mailFiles = async (ids: number[]) => {
      const rows = await db.selectFrom('outbox_messages').select('message_id').where('opinion_id', 'in', ids).execute();
      const uniques = rows.map((r) => /^<([^@>]+)@/.exec(r.message_id)![1]);
      return fs.readdirSync(server.mailDir).filter((f) => uniques.some((u) => f.endsWith(`-${u}.eml`)));
    };
    const personFiles = await mailFiles([opinions.first.id, opinions.second.id]);
    expect(personFiles).toHaveLength(4);
    const ackFile = personFiles.some((f) => fs.readFileSync(path.join(server.mailDir, f), 'utf8').includes('yamada.taro@example.jp'));
    expect(ackFile).toBe(true);
    const otherFiles = await mailFiles([opinions.other.id]);
    expect(otherFiles).toHaveLength(2);
    // What a crash between writing a message and renaming it would leave behind goes too.
    const leftover = path.join(server.mailDir, `.${personFiles[0]}.partial`);
    fs.copyFileSync(path.join(server.mailDir, personFiles[0]), leftover);

    const res = await post('/staff/privacy', {
      intent: 'erase',
      query: 'yamada.taro@example.jp',
      opinionIds: `${opinions.first.id},${opinions.second.id}`,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('消去しました');
    expect(html).toContain('意見2件');

    const rows = await db
      .selectFrom('opinions')
      .selectAll()
      .where('id', 'in', [opinions.first.id, opinions.second.id])
      .orderBy('id')
      .execute();
    for (const row of rows) {
      expect(row).toMatchObject({
        name: null,
        email: null,
        phone: null,
        address: null,
        client_hash: null,
        user_agent: null,
        personal_data_removed_reason: 'request',
        status: 'new',
      });
      expect(row.personal_data_removed_at).toMatch(/^\d{4}-/);
    }
    expect(rows[0].body).toBe('公園のベンチを直してください。');
    const other = await db
      .selectFrom('opinions')
      .selectAll()
      .where('id', '=', opinions.other.id)
      .executeTakeFirstOrThrow();
    expect(other).toMatchObject({
      name: '鈴木 花子',
      email: 'suzuki.hanako@example.jp',
      personal_data_removed_at: null,
    });

    const messages = await db
      .selectFrom('outbox_messages')
      .selectAll()
      .where('opinion_id', 'in', [opinions.first.id, opinions.second.id])
      .execute();
    expect(messages.length).toBeGreaterThanOrEqual(4);
    for (const m of messages) {
      expect(JSON.stringify(m)).not.toMatch(/yamada\.taro|山田|1234.?5678/i);
    }
    expect(messages.filter((m) => m.kind === 'citizen_ack').map((m) => m.recipient)).toEqual([
      '(削除済み)',
      '(削除済み)',
    ]);
    expect(await mailFiles([opinions.first.id, opinions.second.id])).toEqual([]);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(await mailFiles([opinions.other.id])).toEqual(otherFiles);
    // The inbox's search no longer finds them by the name (SQLite: nor does its trigram index hold it).
    const byName = (await listOpinions(db, { q: '山田 太郎' })).rows.map((r) => r.id);
    expect(byName).not.toContain(opinions.first.id);
    expect(byName).not.toContain(opinions.second.id);
    if (!onPostgres) {
      const fts = await sql<{
        rowid: number;
      }>`select rowid from opinions_fts where opinions_fts match ${'"山田 太郎"'}`.execute(db);
      expect(fts.rows).toEqual([]);
    }

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'opinion.erase')
      .orderBy('id')
      .execute();
    expect(audit).toHaveLength(2);
    const after = JSON.parse(audit[1].after_json!);
    expect(after).toMatchObject({
      matchedBy: 'email',
      opinions: 2,
      messages: messages.length,
      withdrawnMessages: 0,
      notes: 0,
    });
    expect(after.trackingNumbers).toBe(`${opinions.first.trackingNumber}, ${opinions.second.trackingNumber}`);
    const exportHash = JSON.parse(
      (
        await db
          .selectFrom('audit_log')
          .select('after_json')
          .where('action', '=', 'opinion.privacy_export')
          .executeTakeFirstOrThrow()
      ).after_json!,
    ).subjectHash;
    expect(after.subjectHash).toBe(exportHash);
    expect(await auditJson()).not.toMatch(/yamada\.taro|1234-5678/i);
  });

  it('finds nothing afterwards and says when it was erased', async () => {
    const html = await (await post('/staff/privacy', { intent: 'search', query: 'yamada.taro@example.jp' })).text();
    expect(html).toContain('保存されている意見はありません。');
    expect(html).toContain('これまでに次のとおり消去しています');
    expect(html).toContain('(意見2件)');
  });
});
