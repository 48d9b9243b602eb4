// Other systems talk to the intake API of the real production server: they
// register opinions with a write token, read their status, are refused with
// problem+json for each kind of mistake, and anyone reads the published
// replies as open data. Every answer is checked against the OpenAPI document
// the server itself serves.
import { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createTestToken, validateSchema } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser } from '../helpers/staff';
import { isPostgresUrl, openDatabase } from '~/server/db.server';
import { revokeApiToken } from '~/models/api-tokens.server';

const SLUG = 'xiuzhou-inspection-2023';
const TRACKING = /^XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;
const PROBLEM = 'application/problem+json';

let server: TestServer;
let api: ReturnType<typeof apiClient>;
let writer: Awaited<ReturnType<typeof createTestToken>>;
let reader: Awaited<ReturnType<typeof createTestToken>>;
let adminId: number;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.url);
  writer = await createTestToken(server.databasePath, 'write', { name: 'ホットライン連携' });
  reader = await createTestToken(server.databasePath, 'read', { name: '集計システム' });
  adminId = (await createTestUser(server.databasePath, 'admin')).id;
});
afterAll(async () => {
  await server?.stop();
});

/** Runs one read on the server's database; `?` placeholders on both engines. */
async function query<T>(sqlText: string, ...params: unknown[]): Promise<T[]> {
  let n = 0;
  const text = isPostgresUrl(server.databasePath) ? sqlText.replace(/\?/g, () => `$${++n}`) : sqlText;
  const { db } = openDatabase(server.databasePath);
  try {
    return (await db.executeQuery<T>(CompiledQuery.raw(text, params))).rows;
  } finally {
    await db.destroy();
  }
}

let counter = 0;
function opinion(fields: Record<string, unknown> = {}) {
  counter++;
  return {
    report: SLUG,
    section: 2,
    item: 1,
    body: `ホットラインに寄せられた意見です。河川の清掃の進み具合を公表してください。(${counter})`,
    channel: 'hotline',
    receivedAt: new Date(Date.now() - 3600_000).toISOString(),
    name: '電話 花子',
    email: 'hanako@example.jp',
    phone: '090-1111-2222',
    replyWanted: true,
    publicOk: false,
    consent: true,
    ...fields,
  };
}

const post = (json: unknown, token = writer.secret, headers: Record<string, string> = {}) =>
  api.call('POST', '/api/v1/opinions', { token, json, headers });

function expectProblem(res: { status: number; contentType: string; body: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(res.contentType).toBe(PROBLEM);
  expect(res.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), instance: expect.stringMatching(/^\/api\//) });
}

describe('POST /api/v1/opinions', () => {
  it('stores the opinion like any other channel: 201 with a tracking number, office mail queued, no contact details in the answer', async () => {
    const res = await post(opinion({ section: 3, item: 2 }));
    expect(res.status).toBe(201);
    const body = res.body as { trackingNumber: string; statusUrl: string };
    expect(Object.keys(body).sort()).toEqual(['statusUrl', 'trackingNumber']);
    expect(body.trackingNumber).toMatch(TRACKING);
    expect(body.statusUrl).toBe(`http://localhost:3000/api/v1/opinions/${body.trackingNumber}`);
    expect(res.headers.get('location')).toBe(body.statusUrl);
    expect(res.text).not.toMatch(/hanako|花子|090-1111/);

    const [row] = await query<{ id: number; channel: string; section_number: number; item_number: number; email: string; reply_wanted: number }>(
      'select * from opinions where tracking_number = ?',
      body.trackingNumber,
    );
    expect(row).toMatchObject({ channel: 'hotline', section_number: 3, item_number: 2, email: 'hanako@example.jp', reply_wanted: 1 });
    const mail = await query<{ kind: string; recipient: string }>('select kind, recipient from outbox_messages where opinion_id = ? order by kind', row.id);
    expect(mail.map((m) => m.kind)).toEqual(['citizen_ack', 'office_notification']);
    const audit = await query<{ actor_label: string; entity_type: string; entity_id: string; after_json: string }>(
      "select * from audit_log where action = 'api.opinion.create' and entity_id = ?",
      String(row.id),
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_label).toBe(`API: ホットライン連携 (${writer.prefix}…)`);
    expect(JSON.parse(audit[0].after_json)).toMatchObject({ tokenId: writer.id, method: 'POST', status: 201, trackingNumber: body.trackingNumber, channel: 'hotline' });
    expect(audit[0].after_json).not.toContain(writer.secret);
  });

  it('accepts an opinion on the whole notice (section 0) without contact details, through every API channel', async () => {
    for (const channel of ['phone', 'post', 'visit', 'hotline', 'api']) {
      const res = await post(opinion({ section: 0, item: undefined, name: null, email: null, phone: null, replyWanted: false, channel }));
      expect(res.status).toBe(201);
      const [row] = await query<{ channel: string; section_number: number; item_number: number | null }>(
        'select channel, section_number, item_number from opinions where tracking_number = ?',
        (res.body as { trackingNumber: string }).trackingNumber,
      );
      expect(row).toEqual({ channel, section_number: 0, item_number: null });
    }
  });

  it('answers 422 with the web form\'s Japanese messages, one per field, each with a JSON Pointer', async () => {
    const res = await post(opinion({ body: '短すぎる', email: 'not-an-email', phone: 'abc', receivedAt: new Date(Date.now() + 86_400_000).toISOString() }));
    expectProblem(res, 422);
    const problem = res.body as { type: string; errors: { pointer: string; detail: string }[] };
    expect(problem.type).toBe('http://localhost:3000/api/v1/problems/validation');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { pointer: '/body', detail: '意見は10文字以上で入力してください(現在4文字)。' },
        { pointer: '/email', detail: 'メールアドレスの形式が正しくありません(例:taro@example.jp)。' },
        { pointer: '/phone', detail: '電話番号は数字、スペース、ハイフン(-)、+、かっこのみで入力してください。' },
        { pointer: '/receivedAt', detail: '受付日時に未来の日時は指定できません。' },
      ]),
    );
    expect(problem.errors).toHaveLength(4);
  });

  it('answers 422 for wrong JSON types, unknown fields, missing consent and a wanted reply without contact', async () => {
    const res = await post({ ...opinion({ section: '2', channel: 'fax', consent: false, email: null, phone: null, replyWanted: true }), extra: 1 });
    expectProblem(res, 422);
    const pointers = Object.fromEntries((res.body as { errors: { pointer: string; detail: string }[] }).errors.map((e) => [e.pointer, e.detail]));
    expect(pointers).toEqual({
      '/section': '「section」は整数で指定してください。',
      '/channel': '「channel」は次のいずれかで指定してください: phone, post, visit, hotline, api。',
      '/consent': '送信するには「個人情報の取扱い」への同意が必要です。',
      '/extra': '「extra」は受け付けない項目です。',
      '/email': '回答を希望する場合は、メールアドレスか電話番号のどちらかを入力してください。',
    });
    const missing = await post({ report: SLUG });
    expectProblem(missing, 422);
    expect((missing.body as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/section', '/body', '/channel', '/receivedAt', '/consent']),
    );
  });

  it('answers 422 for a report, section or item that does not exist, and stores nothing', async () => {
    const before = (await query<{ n: number }>('select count(*) as n from opinions'))[0].n;
    const cases: [Record<string, unknown>, string][] = [
      [{ report: 'no-such-report' }, '/report'],
      [{ section: 99, item: null }, '/section'],
      [{ section: 2, item: 99 }, '/item'],
      [{ section: 0, item: 1 }, '/section'],
    ];
    for (const [fields, pointer] of cases) {
      const res = await post(opinion(fields));
      expectProblem(res, 422);
      expect((res.body as { errors: { pointer: string }[] }).errors.map((e) => e.pointer)).toEqual([pointer]);
    }
    expect((await query<{ n: number }>('select count(*) as n from opinions'))[0].n).toBe(before);
  });

  it('answers 400 for a body that is not JSON, and 415 for one that is not declared as JSON', async () => {
    const broken = await api.call('POST', '/api/v1/opinions', { token: writer.secret, body: '{"report": ', headers: { 'Content-Type': 'application/json' } });
    expectProblem(broken, 400);
    expect((broken.body as { type: string }).type).toBe('http://localhost:3000/api/v1/problems/invalid-json');

    const form = await api.call('POST', '/api/v1/opinions', {
      token: writer.secret,
      body: new URLSearchParams({ report: SLUG, body: 'フォームで送った意見です。よろしく。' }),
    });
    expectProblem(form, 415);
    const text = await api.call('POST', '/api/v1/opinions', { token: writer.secret, body: JSON.stringify(opinion()), headers: { 'Content-Type': 'text/plain' } });
    expectProblem(text, 415);
    const latin1 = await api.call('POST', '/api/v1/opinions', { token: writer.secret, json: opinion(), headers: { 'Content-Type': 'application/json; charset=iso-8859-1' } });
    expectProblem(latin1, 415);
  });

  it('answers 413 for a body over 64 KB', async () => {
    const res = await post(opinion({ body: 'あ'.repeat(30_000) }));
    expectProblem(res, 413);
    expect(res.headers.get('connection')).toBe('close');
  });

  it('answers 405 for a GET, and 404 problem+json (never the HTML page) for an unknown API address', async () => {
    const get = await api.call('GET', '/api/v1/opinions', { token: writer.secret });
    expectProblem(get, 405);
    expect(get.headers.get('allow')).toBe('POST');
    const unknown = await api.call('GET', '/api/v1/nothing-here');
    expectProblem(unknown, 404);
    const v2 = await api.call('POST', '/api/v2/opinions', { json: opinion() });
    expectProblem(v2, 404);
  });
});

describe('tokens and scopes', () => {
  it('answers 401 without a token, with an unknown one and with a malformed header, and audits none of them', async () => {
    const auditBefore = (await query<{ n: number }>("select count(*) as n from audit_log where action like 'api.%'"))[0].n;
    const none = await post(opinion(), '');
    expectProblem(none, 401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="ikenbako"');
    const wrong = await post(opinion(), 'ikb_' + 'A'.repeat(43));
    expectProblem(wrong, 401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const basic = await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
    expectProblem(basic, 401);
    expect((await query<{ n: number }>("select count(*) as n from audit_log where action like 'api.%'"))[0].n).toBe(auditBefore);
  });

  it('refuses a read token that posts with 403 (audited), and lets a write token read', async () => {
    const res = await post(opinion(), reader.secret);
    expectProblem(res, 403);
    const [audit] = await query<{ action: string; after_json: string }>(
      "select action, after_json from audit_log where action = 'api.opinion.create' and entity_type = 'api_token' and entity_id = ? order by id desc limit 1",
      String(reader.id),
    );
    expect(JSON.parse(audit.after_json)).toMatchObject({ status: 403, method: 'POST' });

    const created = await post(opinion());
    const status = await api.call('GET', `/api/v1/opinions/${(created.body as { trackingNumber: string }).trackingNumber}`, { token: writer.secret });
    expect(status.status).toBe(200);
  });

  it('refuses a revoked token at once with 401', async () => {
    const token = await createTestToken(server.databasePath, 'write', { name: '廃止予定' });
    expect((await post(opinion(), token.secret)).status).toBe(201);
    const { db } = openDatabase(server.databasePath);
    try {
      await revokeApiToken(db, { actor: null, actorLabel: 'test' }, token.id);
    } finally {
      await db.destroy();
    }
    const res = await post(opinion(), token.secret);
    expectProblem(res, 401);
    const [row] = await query<{ revoked_at: string | null; last_used_at: string | null }>('select revoked_at, last_used_at from api_tokens where id = ?', token.id);
    expect(row.revoked_at).not.toBeNull();
    expect(row.last_used_at).not.toBeNull();
  });

  it('limits each token to its own calls per minute: 429 with Retry-After, other tokens unaffected', async () => {
    const limited = await createTestToken(server.databasePath, 'read', { name: '上限3回', rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: limited.secret })).status).toBe(404);
    const refused = await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: limited.secret });
    expectProblem(refused, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await api.call('GET', '/api/v1/opinions/XZ-2026-0000-0000', { token: reader.secret })).status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('answers the first result again for the same key and body (in any key order), storing one opinion', async () => {
    const first = opinion();
    const key = `retry-${Date.now()}`;
    const a = await post(first, writer.secret, { 'Idempotency-Key': key });
    expect(a.status).toBe(201);
    const reordered = Object.fromEntries(Object.entries(first).reverse());
    const b = await post(reordered, writer.secret, { 'Idempotency-Key': key });
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(b.headers.get('location')).toBe(a.headers.get('location'));
    expect((await query<{ n: number }>('select count(*) as n from opinions where body = ?', first.body))[0].n).toBe(1);
  });

  it('answers 409 for the same key with another body, and stores nothing more', async () => {
    const key = `conflict-${Date.now()}`;
    expect((await post(opinion(), writer.secret, { 'Idempotency-Key': key })).status).toBe(201);
    const other = opinion();
    const res = await post(other, writer.secret, { 'Idempotency-Key': key });
    expectProblem(res, 409);
    expect((res.body as { type: string }).type).toBe('http://localhost:3000/api/v1/problems/idempotency-key-reused');
    expect((await query<{ n: number }>('select count(*) as n from opinions where body = ?', other.body))[0].n).toBe(0);
  });

  it('keeps keys per token, frees the key of an invalid request, and refuses a malformed key with 400', async () => {
    const key = `shared-${Date.now()}`;
    const other = await createTestToken(server.databasePath, 'write', { name: '別の連携' });
    expect((await post(opinion(), writer.secret, { 'Idempotency-Key': key })).status).toBe(201);
    expect((await post(opinion(), other.secret, { 'Idempotency-Key': key })).status).toBe(201);

    const fixKey = `fix-${Date.now()}`;
    expectProblem(await post(opinion({ body: '短い' }), writer.secret, { 'Idempotency-Key': fixKey }), 422);
    expect((await post(opinion(), writer.secret, { 'Idempotency-Key': fixKey })).status).toBe(201);

    expectProblem(await post(opinion(), writer.secret, { 'Idempotency-Key': 'k'.repeat(256) }), 400);
    expectProblem(await post(opinion(), writer.secret, { 'Idempotency-Key': 'two words' }), 400);
  });
});

describe('GET /api/v1/opinions/{trackingNumber}', () => {
  it('answers the status and, once published, the reply — never the person, and the opinion only with consent', async () => {
    const created = await post(opinion({ publicOk: false }));
    const trackingNumber = (created.body as { trackingNumber: string }).trackingNumber;
    const before = await api.call('GET', `/api/v1/opinions/${trackingNumber}`, { token: reader.secret });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ trackingNumber, status: 'new', statusLabel: '受付', section: 2, item: 1, report: { slug: SLUG }, reply: null });
    expect(before.text).not.toMatch(/hanako|花子|090-1111|河川の清掃の進み具合/);

    const [row] = await query<{ id: number }>('select id from opinions where tracking_number = ?', trackingNumber);
    const { db } = openDatabase(server.databasePath);
    const now = new Date().toISOString();
    try {
      await db
        .insertInto('official_replies')
        .values({
          opinion_id: row.id,
          body: '清掃の進み具合は毎月公表します。',
          show_opinion: 1,
          redacted_opinion: '河川の清掃について(伏せ字済み)',
          status: 'published',
          published_at: now,
          updated_at: now,
          created_by_id: adminId,
          updated_by_id: adminId,
          created_at: now,
        })
        .execute();
      await db.updateTable('opinions').set({ status: 'answered' }).where('id', '=', row.id).execute();
    } finally {
      await db.destroy();
    }

    // Lower case and without hyphens, as a person might type it.
    const after = await api.call('GET', `/api/v1/opinions/${trackingNumber.replace(/-/g, '').toLowerCase()}`, { token: reader.secret });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'answered', statusLabel: '回答済', reply: { body: '清掃の進み具合は毎月公表します。', opinion: null } });
    const audit = await query<{ after_json: string }>("select after_json from audit_log where action = 'api.opinion.read' and entity_id = ?", String(reader.id));
    expect(audit.some((a) => JSON.parse(a.after_json).trackingNumber === trackingNumber)).toBe(true);
  });

  it('answers 404 for an unknown or malformed tracking number', async () => {
    expectProblem(await api.call('GET', '/api/v1/opinions/XZ-2026-ZZZZ-ZZZZ', { token: reader.secret }), 404);
    expectProblem(await api.call('GET', '/api/v1/opinions/not-a-number', { token: reader.secret }), 404);
  });
});

describe('GET /api/v1/reports/{slug}/replies (open data)', () => {
  let published: { id: number; trackingNumber: string; redacted: string }[] = [];

  beforeAll(async () => {
    const { db } = openDatabase(server.databasePath);
    const base = Date.now() - 10 * 60_000;
    const cases = [
      { publicOk: true, show: 1, status: 'published' },
      { publicOk: false, show: 1, status: 'published' },
      { publicOk: true, show: 0, status: 'published' },
      { publicOk: true, show: 1, status: 'draft' },
    ] as const;
    for (const [i, c] of cases.entries()) {
      const res = await post(opinion({ publicOk: c.publicOk, section: 4, item: null, name: `公開テスト${i}`, email: `open${i}@example.jp` }));
      const trackingNumber = (res.body as { trackingNumber: string }).trackingNumber;
      const { id: opinionId } = await db.selectFrom('opinions').select('id').where('tracking_number', '=', trackingNumber).executeTakeFirstOrThrow();
      const at = new Date(base + i * 1000).toISOString();
      const redacted = `伏せ字済みの意見${i}`;
      const { id } = await db
        .insertInto('official_replies')
        .values({
          opinion_id: opinionId,
          body: `区からの回答${i}`,
          show_opinion: c.show,
          redacted_opinion: redacted,
          status: c.status,
          published_at: c.status === 'published' ? at : null,
          updated_at: at,
          created_by_id: adminId,
          updated_by_id: adminId,
          created_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (c.status === 'published') published.push({ id, trackingNumber, redacted });
    }
    await db.destroy();
    published = published.reverse();
  });

  it('lists published replies newest first with only the public fields, and the opinion only with consent and the moderator\'s choice', async () => {
    const res = await api.call('GET', `/api/v1/reports/${SLUG}/replies?perPage=100`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const page = res.body as { replies: Record<string, unknown>[]; total: number; next: string | null };
    const mine = page.replies.filter((r) => published.some((p) => p.id === r.id));
    expect(mine.map((r) => r.id)).toEqual(published.map((p) => p.id));
    for (const reply of page.replies) {
      expect(Object.keys(reply).sort()).toEqual(['body', 'id', 'item', 'opinion', 'publishedAt', 'receivedAt', 'section', 'updatedAt', 'url']);
    }
    const byId = new Map(mine.map((r) => [r.id, r]));
    // Newest first: case 2 (no show), case 1 (no consent), case 0 (both).
    expect(byId.get(published[2].id)).toMatchObject({ opinion: '伏せ字済みの意見0', section: 4, item: null });
    expect(byId.get(published[1].id)?.opinion).toBeNull();
    expect(byId.get(published[0].id)?.opinion).toBeNull();
    expect(res.text).not.toMatch(/区からの回答3|公表テスト|@example\.jp|XZ-\d{4}/);
    expect(page.next).toBeNull();
  });

  it('pages with next and prev links, and answers 400/404 for a bad page', async () => {
    const first = await api.call('GET', `/api/v1/reports/${SLUG}/replies?perPage=1`);
    const body = first.body as { total: number; pageCount: number; next: string; prev: string | null; replies: unknown[] };
    expect(body.replies).toHaveLength(1);
    expect(body.pageCount).toBe(body.total);
    expect(body.prev).toBeNull();
    expect(body.next).toBe(`http://localhost:3000/api/v1/reports/${SLUG}/replies?page=2&perPage=1`);
    const second = await api.call('GET', `/api/v1/reports/${SLUG}/replies?page=2&perPage=1`);
    expect((second.body as { prev: string }).prev).toContain('page=1');
    expectProblem(await api.call('GET', `/api/v1/reports/${SLUG}/replies?page=0`), 400);
    expectProblem(await api.call('GET', `/api/v1/reports/${SLUG}/replies?perPage=1000`), 400);
    expectProblem(await api.call('GET', `/api/v1/reports/${SLUG}/replies?page=999`), 404);
    expectProblem(await api.call('GET', '/api/v1/reports/no-such-report/replies'), 404);
  });
});

describe('the OpenAPI description', () => {
  it('is served at /api/v1/openapi.json as OpenAPI 3.1, with every path and the problem types it names', async () => {
    const res = await api.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body as { openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/openapi.json',
      '/api/v1/opinions',
      '/api/v1/opinions/{trackingNumber}',
      '/api/v1/problems/{type}',
      '/api/v1/reports/{slug}/replies',
    ]);
    expect(Object.keys(doc.paths['/api/v1/opinions'].post as object)).toContain('requestBody');
    expect(doc.components.schemas).toHaveProperty('OpinionInput');
    expect(doc.components.securitySchemes).toHaveProperty('bearerToken');
    for (const type of ['validation', 'invalid-json', 'idempotency-key-reused', 'idempotency-key-in-use']) {
      const described = await api.call('GET', `/api/v1/problems/${type}`);
      expect(described.status).toBe(200);
    }
    expectProblem(await api.call('GET', '/api/v1/problems/unknown'), 404);
  });

  it('is strict enough to catch a leaked field or a missing one (the validator can fail)', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body as never;
    const reply = { id: 1, section: 2, item: null, receivedAt: 'x', opinion: null, body: '回答', publishedAt: 'x', updatedAt: null, url: 'http://localhost:3000/r' };
    const ref = { $ref: '#/components/schemas/PublicReply' };
    expect(validateSchema(doc, ref, reply)).toEqual([]);
    expect(validateSchema(doc, ref, { ...reply, email: 'a@example.jp' })).toEqual(['$: unexpected property "email"']);
    const { body: _body, ...withoutBody } = reply;
    expect(validateSchema(doc, ref, withoutBody)).toEqual(['$: missing required "body"']);
    expect(validateSchema(doc, ref, { ...reply, section: '2' })).toEqual(['$.section: expected integer, got string']);
  });

  it('describes every answer given in this file (status, media type and body)', async () => {
    const doc = (await api.call('GET', '/api/v1/openapi.json')).body;
    const { checked, problems } = api.validateAll(doc as never);
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(50);
    const statuses = new Set(api.recorded.map((r) => r.status));
    for (const s of [200, 201, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429]) expect(statuses).toContain(s);
  });
});
