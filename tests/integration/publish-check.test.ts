// Publishing checks more than the submitter's own details (issue 11): every
// redaction rule and self-introductions, over the reply and the shown copy,
// refused until a moderator ticks "checked: this is not personal data" for
// each match (audited). The model, then the plain (no JavaScript) form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpinion } from '~/models/opinions.server';
import type { ReplyInput } from '~/models/replies.server';
import { PersonalDataError } from '~/models/reply-rules.server';
import { publishReply } from '~/models/replies-publish.server';
import type { StaffUser } from '~/server/session.server';
import { openDatabase } from '~/server/db.server';
import { BUNDLED_SLUG, createTestDb } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

let t: Awaited<ReturnType<typeof createTestDb>>;
let moderator: StaffUser;

beforeAll(async () => {
  t = await createTestDb();
  const user = await t.db
    .insertInto('users')
    .values({ email: 'mod@example.jp', display_name: '確認 担当', role: 'moderator', password_hash: 'x', created_at: new Date().toISOString(), last_login_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  moderator = { id: user.id, email: 'mod@example.jp', displayName: '確認 担当', role: 'moderator' };
});
afterAll(() => t?.close());

let seq = 0;
async function newOpinion(over: { name?: string | null; email?: string | null; phone?: string | null; body?: string } = {}) {
  seq++;
  return createOpinion(t.db, {
    reportId: 1,
    sectionNumber: 4,
    itemNumber: null,
    body: over.body ?? `第${seq}の意見です。公園の照明が暗いです。`,
    name: over.name === undefined ? '山田 太郎' : over.name,
    email: over.email === undefined ? 'taro@example.jp' : over.email,
    phone: over.phone === undefined ? '090-1234-5678' : over.phone,
    replyWanted: false,
    publicOk: true,
    consent: true,
    channel: 'web',
    receivedAt: new Date(),
    clientHash: null,
    userAgent: null,
    formToken: null,
    recordedById: null,
  });
}

async function refused(opinionId: number, input: ReplyInput): Promise<PersonalDataError> {
  const error = await publishReply(t.db, moderator, opinionId, input).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PersonalDataError);
  return error as PersonalDataError;
}

const repliesOf = (opinionId: number) => t.db.selectFrom('official_replies').select('id').where('opinion_id', '=', opinionId).execute();
const publishAudit = async (opinionId: number) =>
  t.db.selectFrom('audit_log').selectAll().where('entity_id', '=', String(opinionId)).where('action', 'in', ['reply.publish', 'reply.edit']).orderBy('id').execute();

describe('the publishing check', () => {
  it("refuses a neighbour's phone number in the reply, and writes nothing", async () => {
    const op = await newOpinion();
    const error = await refused(op.id, { body: '隣家の方(0573-8272-2291)にも確認しました。', showOpinion: false, redactedOpinion: null });
    expect(error.status).toBe(400);
    expect(error.message).toContain('回答に、個人情報の可能性がある箇所が1件あります。');
    expect(error.findings.map((f) => [f.field, f.kind, f.text, f.confirmable])).toEqual([['body', 'phone', '0573-8272-2291', true]]);
    expect(await repliesOf(op.id)).toHaveLength(0);
    expect(await publishAudit(op.id)).toHaveLength(0);
  });

  it.each([
    ['without the space', '山田太郎さんから伺いました。'],
    ['with a full-width space', '山田　太郎さんから伺いました。'],
    ['split by a zero-width space', '山田\u200B太郎さんから伺いました。'],
    ['with a middle dot', '山田・太郎さんから伺いました。'],
  ])('catches the submitter name typed with a space, %s, in the shown copy', async (_label, copy) => {
    const op = await newOpinion({ name: '山田 太郎' });
    const error = await refused(op.id, { body: '回答します。', showOpinion: true, redactedOpinion: copy });
    expect(error.findings.map((f) => [f.field, f.kind])).toEqual([['redactedOpinion', 'submitter_name']]);
  });

  it('catches a full-width name in a reply when the submitter typed it in half-width', async () => {
    const op = await newOpinion({ name: 'Taro Yamada' });
    const error = await refused(op.id, { body: 'ＴＡＲＯ　ＹＡＭＡＤＡ様へ', showOpinion: false, redactedOpinion: null });
    expect(error.findings.map((f) => f.kind)).toEqual(['submitter_name']);
  });

  it('flags a self-introduction in the copy as a probable name', async () => {
    const op = await newOpinion({ name: null, email: null, phone: null });
    const error = await refused(op.id, { body: '回答します。', showOpinion: true, redactedOpinion: '我叫李雷。公园太暗了。' });
    expect(error.findings.map((f) => [f.kind, f.text])).toEqual([['self_introduction', '李雷']]);
    expect(error.message).toContain('公開する意見に、個人情報の可能性がある箇所が1件あります。');
  });

  it('publishes once each match is ticked "not personal data", and the publish audit row lists what was ticked', async () => {
    const op = await newOpinion({ name: null, email: null, phone: null });
    const input = { body: '区の窓口 0573-8272-2291 までどうぞ。', showOpinion: true, redactedOpinion: '私は鈴木です。公園が暗いです。' };
    const error = await refused(op.id, input);
    expect(error.findings).toHaveLength(2);
    // One tick is not enough.
    const partly = await refused(op.id, { ...input, notPersonalData: [error.findings[0].key] });
    expect(partly.findings.map((f) => f.key)).toEqual([error.findings[1].key]);

    const published = await publishReply(t.db, moderator, op.id, { ...input, notPersonalData: error.findings.map((f) => f.key) });
    expect(published.kind).toBe('publish');
    const [audit] = await publishAudit(op.id);
    expect(audit.actor_id).toBe(moderator.id);
    expect(JSON.parse(audit.after_json!).notPersonalData).toEqual([
      { field: 'redactedOpinion', kind: 'self_introduction', text: '鈴木' },
      { field: 'body', kind: 'phone', text: '0573-8272-2291' },
    ]);

    // Editing the published reply is checked again; a tick for a match no longer there is ignored.
    const edit = await refused(op.id, { ...input, body: '担当 06-1111-2222 まで。', notPersonalData: error.findings.map((f) => f.key) });
    expect(edit.findings.map((f) => f.text)).toEqual(['06-1111-2222']);
  });

  it("never accepts a tick for the submitter's own email, phone or address", async () => {
    const op = await newOpinion();
    const input = { body: 'taro@example.jp と 090-1234-5678 へ連絡します。', showOpinion: false, redactedOpinion: null };
    const error = await refused(op.id, input);
    expect(error.findings.map((f) => [f.kind, f.confirmable])).toEqual([
      ['submitter_email', false],
      ['submitter_phone', false],
    ]);
    const still = await refused(op.id, { ...input, notPersonalData: error.findings.map((f) => f.key) });
    expect(still.findings).toHaveLength(2);
    expect(still.message).toContain('投稿者のメールアドレス・電話番号・住所は公開できません。');
    expect(await repliesOf(op.id)).toHaveLength(0);
  });

  it('does not check a copy that is not shown', async () => {
    const op = await newOpinion();
    const result = await publishReply(t.db, moderator, op.id, { body: '回答します。', showOpinion: false, redactedOpinion: '山田太郎 090-1234-5678' });
    expect(result.kind).toBe('publish');
  });
});

describe('the reply form without JavaScript', () => {
  let server: TestServer;
  let cookie: string;
  let opinionId: number;
  beforeAll(async () => {
    server = await startTestServer({ RATE_LIMIT_OPINIONS: '100' });
    const res = await fetch(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url },
      body: new URLSearchParams({ section: '4', body: '公園の照明が暗くて危ないです。', publicOk: 'on', consent: 'on' }),
    });
    expect(res.status).toBe(303);
    const { db } = openDatabase(server.databasePath);
    opinionId = (await db.selectFrom('opinions').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    await db.destroy();
    const user = await createTestUser(server.databasePath, 'moderator');
    cookie = await signIn(server.url, user.email, user.password);
  });
  afterAll(() => server?.stop());

  const post = (fields: Array<[string, string]>) => {
    const form = new FormData();
    for (const [k, v] of fields) form.append(k, v);
    return fetch(`${server.url}/staff/opinions/${opinionId}/reply`, { method: 'POST', redirect: 'manual', headers: { Cookie: cookie, Origin: server.url }, body: form });
  };

  it('lists the matches beside tick boxes, keeps the ticks, and publishes once all are ticked', async () => {
    const base: Array<[string, string]> = [
      ['intent', 'publish'],
      ['body', '近隣の方(0573-8272-2291)と、区の窓口 0573-8272-2292 に確認しました。'],
      ['redactedOpinion', '公園の照明が暗くて危ないです。'],
    ];
    const first = await post(base);
    expect(first.status).toBe(400);
    // React marks text boundaries with <!-- -->; the page reads without them.
    const html = (await first.text()).replaceAll('<!-- -->', '');
    expect(html).toContain('回答に、個人情報の可能性がある箇所が2件あります。');
    expect(html).toContain('公開前の確認(個人情報の可能性がある箇所)');
    const boxes = [...html.matchAll(/<input type="checkbox" id="(not-personal-\d+)" name="notPersonalData"(?: checked="")? value="([^"]+)"/g)];
    expect(boxes.map((b) => b[2])).toEqual(['body:phone:0573-8272-2291', 'body:phone:0573-8272-2292']);
    for (const [, id] of boxes) expect(html).toMatch(new RegExp(`<label for="${id}">確認済み:「0573-8272-229[12]」は個人情報ではありません</label>`));

    // One ticked: still refused, and the tick is kept on the page.
    const second = await post([...base, ['notPersonalData', boxes[1][2]]]);
    expect(second.status).toBe(400);
    const html2 = await second.text();
    expect(html2).toContain('回答に、個人情報の可能性がある箇所が1件あります。');
    expect(html2).toContain('name="notPersonalData" checked="" value="body:phone:0573-8272-2292"');
    expect(html2).toContain('name="notPersonalData" value="body:phone:0573-8272-2291"');

    const third = await post([...base, ['notPersonalData', boxes[0][2]], ['notPersonalData', boxes[1][2]]]);
    expect(third.status).toBe(302);
    expect(third.headers.get('location')).toBe(`/staff/opinions/${opinionId}/reply?done=publish`);
  });
});
