// The notices console over HTTP against the production server: preview stores
// nothing, malformed text lists each problem with its line, oversized and
// non-UTF-8 uploads are refused, dates are checked, publish/draft/revise work
// through the same code path as the import command, and opinions on an item
// a revision removes are kept and marked.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_NOTICE_PATH } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const ORIGINAL = fs.readFileSync(BUNDLED_NOTICE_PATH, 'utf8');
// "意見募集のお知らせ。ご意見をお寄せください。" in Shift_JIS and in GB18030.
const SHIFT_JIS = Buffer.from('88d38ca995e58f5782cc82a8926d82e782b9814282b288d38ca982f082a88af182b982ad82be82b382a28142', 'hex');
const GB18030 = Buffer.from('d2e2d28ac4bcbcafa4cea4aad6aaa4e9a4bba1a3a4b4d2e2d28aa4f2a4aabcc4a4bba4afa4c0a4b5a4a4a1a3', 'hex');

let server: TestServer;
let db: DB;
const cookies: Record<'staff' | 'moderator' | 'admin', string> = { staff: '', moderator: '', admin: '' };

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ['staff', 'moderator', 'admin'] as const) {
    const user = await createTestUser(server.databasePath, role);
    cookies[role] = await signIn(server.url, user.email, user.password);
  }
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

async function post(path: string, fields: Record<string, string>, opts: { file?: { name: string; bytes: Uint8Array }; as?: keyof typeof cookies } = {}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (opts.file) form.append('file', new Blob([new Uint8Array(opts.file.bytes)], { type: 'text/plain' }), opts.file.name);
  return fetch(server.url + path, {
    method: 'POST',
    headers: { Origin: server.url, Cookie: cookies[opts.as ?? 'moderator'] },
    body: form,
    redirect: 'manual',
  });
}

async function count(table: 'reports' | 'report_revisions' | 'comment_period_changes' | 'audit_log'): Promise<number> {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

const page = (html: string) => html.replace(/<!--.*?-->/g, '');

describe('who may use the notices console', () => {
  it('lets moderators and admins in, not staff; only admins change a period', async () => {
    const get = (path: string, as: keyof typeof cookies) => fetch(server.url + path, { headers: { Cookie: cookies[as] }, redirect: 'manual' });
    expect((await get('/staff/notices', 'staff')).status).toBe(403);
    expect((await get('/staff/notices/new', 'staff')).status).toBe(403);
    expect((await get('/staff/notices', 'moderator')).status).toBe(200);
    expect((await get('/staff/notices/1/revise', 'moderator')).status).toBe(200);
    expect((await get('/staff/notices/1/period', 'moderator')).status).toBe(403);
    expect((await get('/staff/notices/1/period', 'admin')).status).toBe(200);
    const list = page(await (await get('/staff/notices', 'admin')).text());
    expect(list).toContain('巡視整備の進展状況に関する中国共産党嘉興市秀洲区委員会の通報');
    expect(list).toContain('受付中(期間なし)');
  });
});

describe('a new notice', () => {
  it('previews the parsed notice and stores nothing', async () => {
    const before = await count('report_revisions');
    const res = await post('/staff/notices/new', { intent: 'preview', slug: 'parks-2026', text: ORIGINAL, opensAt: '', closesAt: '' });
    expect(res.status).toBe(200);
    const html = page(await res.text());
    expect(html).toContain('プレビュー: 第15期省委員会第1回巡視整備の進展状況に関する中国共産党嘉興市秀洲区委員会の通報');
    expect(html).toContain('13項・52措置');
    expect(html).toContain('十三、');
    expect(html).toContain('意見・提案の窓口');
    expect(html).toContain('公開する');
    expect(await count('report_revisions')).toBe(before);
  });

  it('lists every problem of a malformed paste with its line number, and stores nothing', async () => {
    const lines = ORIGINAL.split('\n');
    const sectionThree = lines.findIndex((l) => l.startsWith('三、'));
    const sectionSix = lines.findIndex((l) => l.startsWith('六、'));
    lines[sectionThree] = lines[sectionThree].replace(/^三、/, '四、');
    lines[sectionSix] = lines[sectionSix].replace(/^六、/, '八、');
    const before = await count('reports');
    const res = await post('/staff/notices/new', { intent: 'publish', slug: 'broken', text: lines.join('\n') });
    expect(res.status).toBe(400);
    const html = page(await res.text());
    expect(html).toContain('本文を読み取れませんでした(2件の問題)');
    expect(html).toContain(`<strong>${sectionThree + 1}行目</strong>: 第3項の番号が飛んでいます`);
    expect(html).toContain(`<strong>${sectionSix + 1}行目</strong>: 第6項の番号が飛んでいます`);
    expect(await count('reports')).toBe(before);
  });

  it('answers a 2 MB upload with 413 and stores nothing', async () => {
    const notice = new TextEncoder().encode(ORIGINAL);
    const big = new Uint8Array(2 * 1024 * 1024).fill(0x0a);
    big.set(notice);
    const before = await count('reports');
    const res = await post('/staff/notices/new', { intent: 'publish', slug: 'too-big', text: '' }, { file: { name: 'big.txt', bytes: big } });
    expect(res.status).toBe(413);
    expect(await res.text()).toContain('1MB');
    expect(await count('reports')).toBe(before);
  });

  it('names the encoding of a Shift_JIS or GB18030 file', async () => {
    const sjis = await post('/staff/notices/new', { intent: 'preview', slug: 'sjis', text: '' }, { file: { name: 'notice.txt', bytes: SHIFT_JIS } });
    expect(sjis.status).toBe(400);
    expect(page(await sjis.text())).toContain('ファイルの文字コードがUTF-8ではありません(Shift_JISのようです)');
    const gb = await post('/staff/notices/new', { intent: 'preview', slug: 'gb', text: '' }, { file: { name: 'notice.txt', bytes: GB18030 } });
    expect(gb.status).toBe(400);
    expect(page(await gb.text())).toContain('(GB18030のようです)');
  });

  it('refuses a period that closes before it opens', async () => {
    const before = await count('reports');
    const res = await post('/staff/notices/new', { intent: 'publish', slug: 'backwards', text: ORIGINAL, opensAt: '2026-03-01T09:00', closesAt: '2026-02-01T17:00' });
    expect(res.status).toBe(400);
    expect(page(await res.text())).toContain('募集終了の日時は、募集開始の日時より後にしてください。');
    expect(await count('reports')).toBe(before);
  });

  it('publishes from an uploaded file, with its period, and audits it', async () => {
    const text = ORIGINAL.replace('公開日:2023-07-0309:00', '公開日:2026-01-0409:00');
    const res = await post(
      '/staff/notices/new',
      { intent: 'publish', slug: 'parks-2026', text: '', opensAt: '2026-01-05T09:00', closesAt: '2099-02-05T17:00' },
      { file: { name: 'parks.txt', bytes: new TextEncoder().encode(text) } },
    );
    expect(res.status).toBe(302);
    const id = Number(/\/staff\/notices\/(\d+)\?done=published/.exec(res.headers.get('location') ?? '')?.[1]);
    const report = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(report).toMatchObject({ slug: 'parks-2026', draft: 0, opens_at: '2026-01-05T01:00:00.000Z', closes_at: '2099-02-05T09:00:00.000Z' });
    const actions = (await db.selectFrom('audit_log').select('action').where('entity_type', '=', 'report').where('entity_id', '=', String(id)).execute()).map((a) => a.action);
    expect(actions).toEqual(['notice.publish', 'notice.period']);
    expect((await fetch(`${server.url}/reports/parks-2026`)).status).toBe(200);
    // The same slug again is refused: a revision goes through 改訂.
    const again = await post('/staff/notices/new', { intent: 'publish', slug: 'parks-2026', text: ORIGINAL });
    expect(again.status).toBe(409);
  });

  it('saves a draft that the public cannot see until it is published', async () => {
    const res = await post('/staff/notices/new', { intent: 'draft', slug: 'draft-2026', text: ORIGINAL });
    expect(res.status).toBe(302);
    const detail = res.headers.get('location')!.replace(/\?.*/, '');
    expect((await fetch(`${server.url}/reports/draft-2026`)).status).toBe(404);
    expect(await (await fetch(`${server.url}/`)).text()).not.toContain('/reports/draft-2026');
    const published = await post(detail, { intent: 'publish' });
    expect(published.status).toBe(302);
    expect((await fetch(`${server.url}/reports/draft-2026`)).status).toBe(200);
    // The cached list shows it at once (this process's write; another's within a second).
    expect(await (await fetch(`${server.url}/`)).text()).toContain('/reports/draft-2026');
  });
});

describe('a revision', () => {
  let id: number;
  beforeAll(async () => {
    id = (await db.selectFrom('reports').select('id').where('slug', '=', 'xiuzhou-inspection-2023').executeTakeFirstOrThrow()).id;
    const now = new Date().toISOString();
    // An opinion on 第一項(五), the last item of section 1, which the revision below removes.
    await db
      .insertInto('opinions')
      .values({
        tracking_number: 'XZ-2026-REV0-0001',
        receipt_token: 'revision-test-receipt-token-0001',
        report_id: id,
        section_number: 1,
        item_number: 5,
        body: '第五の措置について',
        channel: 'web',
        received_at: now,
        due_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
  });

  function withoutItem(text: string, section: string, item: string): string {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith(section));
    const at = lines.findIndex((l, i) => i > start && l.startsWith(item));
    lines.splice(at, 1);
    return lines.join('\n');
  }

  it('shows a diff per item and publishes it as a new revision, keeping the opinion on a removed item', async () => {
    // Remove (五), the last item of section 1, so that no other item is renumbered.
    const revised = withoutItem(ORIGINAL, '一、', '(五)').replace('(一)政策支持を強化する。', '(一)政策支援を一層強化する。');
    const preview = await post(`/staff/notices/${id}/revise`, { intent: 'preview', baseRevisionNo: '1', text: revised });
    expect(preview.status).toBe(200);
    const html = page(await preview.text());
    expect(html).toContain('改訂1との差分');
    expect(html).toContain('第一項(一)');
    expect(html).toContain('[変更]');
    expect(html).toContain('[削除]');
    expect(html).toContain('政策支援を一層強化する。');
    expect(await count('report_revisions')).toBe(3); // bundled + parks + draft: the preview stored nothing

    const published = await post(`/staff/notices/${id}/revise`, { intent: 'publish', baseRevisionNo: '1', text: revised });
    expect(published.status).toBe(302);
    expect(published.headers.get('location')).toBe(`/staff/notices/${id}?done=revised`);
    const revisions = await db.selectFrom('report_revisions').select('revision_no').where('report_id', '=', id).execute();
    expect(revisions.map((r) => r.revision_no)).toEqual([1, 2]);
    const opinions = await db.selectFrom('opinions').select(['item_number']).where('tracking_number', '=', 'XZ-2026-REV0-0001').execute();
    expect(opinions).toEqual([{ item_number: 5 }]);
    const detail = page(await (await fetch(`${server.url}/staff/notices/${id}`, { headers: { Cookie: cookies.moderator } })).text());
    expect(detail).toContain('／ (五)「協力メカニズムを完備する」');
    expect(detail).toContain('措置は改訂2で削除');
    expect(detail).toContain('改訂2(');
  });

  it('requires an explicit confirmation when sections are renumbered', async () => {
    const current = (await db.selectFrom('report_revisions').select('source_text').where('report_id', '=', id).orderBy('revision_no', 'desc').executeTakeFirstOrThrow()).source_text;
    // Swap the titles of sections 1 and 2: their text now stands under other numbers.
    const lines = current.split('\n');
    const s1 = lines.findIndex((l) => l.startsWith('一、'));
    const s2 = lines.findIndex((l) => l.startsWith('二、'));
    const [t1, t2] = [lines[s1].slice(2), lines[s2].slice(2)];
    lines[s1] = `一、${t2}`;
    lines[s2] = `二、${t1}`;
    const swapped = lines.join('\n');
    const preview = page(await (await post(`/staff/notices/${id}/revise`, { intent: 'preview', baseRevisionNo: '2', text: swapped })).text());
    expect(preview).toContain('番号が変わる箇所があります');
    expect(preview).toContain('番号の変更を確認しました');
    const refused = await post(`/staff/notices/${id}/revise`, { intent: 'publish', baseRevisionNo: '2', text: swapped });
    expect(refused.status).toBe(400);
    expect(page(await refused.text())).toContain('番号の変更を確認しました」にチェックしてください');
    expect(await db.selectFrom('report_revisions').select('id').where('report_id', '=', id).execute()).toHaveLength(2);
    const stale = await post(`/staff/notices/${id}/revise`, { intent: 'publish', baseRevisionNo: '1', text: swapped, confirmRenumbering: 'on' });
    expect(stale.status).toBe(409);
    const confirmed = await post(`/staff/notices/${id}/revise`, { intent: 'publish', baseRevisionNo: '2', text: swapped, confirmRenumbering: 'on' });
    expect(confirmed.status).toBe(302);
    expect(await db.selectFrom('report_revisions').select('id').where('report_id', '=', id).execute()).toHaveLength(3);
  });
});
