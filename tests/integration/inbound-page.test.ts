// /staff/inbound through the real server: mail piped to `npm run mail:inbound`
// (as the MTA would) shows up for staff — a message nobody could match with its
// sender, subject, text and Shanghai time, an auto-reply with the opinion its
// message was about — filtered by kind and paged. Also the 期間外 mark: an
// opinion recorded after the comment period closed is marked in the inbox row
// and on its page, with words a screen reader reads.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage } from '~/mail/outbox.server';
import { saveInboundMessage } from '~/models/inbound-messages.server';
import { createOpinion } from '~/models/opinions.server';
import { openDatabase, type DB } from '~/server/db.server';
import { formatDateTime } from '~/utils/local-time';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'tests/fixtures/mail');

let server: TestServer;
let db: DB;
let close: () => Promise<void>;
let staffCookie: string;
let matchedOpinion: { id: number; trackingNumber: string };

/** Pipes one message to the inbound command, as Postfix's local(8) would. */
function mailInbound(input: Buffer | string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/mail-inbound.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), DATABASE_PATH: server.databasePath },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const page = async (p: string, cookie = staffCookie) => {
  const res = await fetch(server.url + p, { headers: { Cookie: cookie }, redirect: 'manual' });
  return { status: res.status, html: (await res.text()).replace(/<!-- -->/g, '') };
};

/** The table row (<tr>…</tr>) of the page that contains `needle`. */
function rowWith(html: string, needle: string): string {
  const row = html.split('<tr').find((r) => r.includes(needle));
  expect(row, `a row containing ${needle}`).toBeDefined();
  return row!.slice(0, row!.indexOf('</tr>'));
}

const opinionInput = (overrides: Partial<Parameters<typeof createOpinion>[1]>) => ({
  reportId: 1,
  sectionNumber: 1,
  itemNumber: null,
  body: '受信メールの試験用の意見です。',
  name: null,
  email: null,
  phone: null,
  replyWanted: false,
  publicOk: false,
  consent: true,
  channel: 'web' as const,
  receivedAt: new Date(),
  clientHash: null,
  userAgent: null,
  formToken: null,
  recordedById: null,
  ...overrides,
});

beforeAll(async () => {
  server = await startTestServer();
  ({ db } = openDatabase(server.databasePath));
  close = () => db.destroy();
  const staff = await createTestUser(server.databasePath, 'staff');
  staffCookie = await signIn(server.url, staff.email, staff.password);

  // The acknowledgement the vacation fixture answers (it quotes this Message-ID).
  const created = await createOpinion(db, opinionInput({ email: 'citizen@example.net' }));
  matchedOpinion = { id: created.id, trackingNumber: created.trackingNumber };
  const outboxId = (await enqueueMessage(db, { opinionId: created.id, kind: 'citizen_ack', recipient: 'citizen@example.net', subject: 'ack', text: 'ack', html: 'ack' }))!;
  await db
    .updateTable('outbox_messages')
    .set({ message_id: '<5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a805@ikenbako.example.org>', status: 'sent', sent_at: new Date().toISOString() })
    .where('id', '=', outboxId)
    .execute();

  for (const name of ['citizen-question.eml', 'vacation-auto-reply.eml']) {
    const run = await mailInbound(fs.readFileSync(path.join(FIXTURES, name)));
    expect(run.code, `${name}: ${run.stderr}`).toBe(0);
  }
});
afterAll(async () => {
  await close?.();
  await server?.stop();
});

describe('/staff/inbound', () => {
  it('shows a message nobody could match: sender, subject, text, received at in Shanghai time', async () => {
    const kept = await db.selectFrom('inbound_messages').selectAll().executeTakeFirstOrThrow();
    const { status, html } = await page('/staff/inbound');
    expect(status).toBe(200);
    expect(html).toContain('<h1>受信メール</h1>');
    const row = rowWith(html, 'hanako@example.net');
    expect(row).toContain('照合できないメール');
    expect(row).toContain('山田 花子');
    expect(row).toContain('&lt;hanako@example.net&gt;');
    expect(row).toContain('Re: ご意見を受け付けました');
    expect(row).toContain('追加の写真を送りたいのですが');
    expect(row).toContain(`<time dateTime="${kept.received_at}">${formatDateTime(kept.received_at)}</time>`);
    expect(html).toContain('2件中 1〜2件目を表示');
  });

  it('shows an auto-reply with its sender and the opinion the answered message was about', async () => {
    const { html } = await page('/staff/inbound');
    const row = rowWith(html, 'citizen@example.net');
    expect(row).toContain('自動応答');
    expect(row).toContain('自動応答: ご意見を受け付けました');
    expect(row).toContain(`href="/staff/opinions/${matchedOpinion.id}"`);
    expect(row).toContain(matchedOpinion.trackingNumber);
  });

  it('filters by kind', async () => {
    const replies = await page('/staff/inbound?kind=auto_reply');
    expect(replies.html).toContain('自動応答: ご意見を受け付けました');
    expect(replies.html).not.toContain('hanako@example.net');
    expect(replies.html).toContain('1件中 1〜1件目を表示');
    expect(replies.html).toMatch(/<option value="auto_reply" selected="">自動応答<\/option>/);
    const messages = await page('/staff/inbound?kind=message');
    expect(messages.html).toContain('hanako@example.net');
    expect(messages.html).not.toContain('自動応答: ご意見を受け付けました');
    // A hand-edited kind shows everything rather than an error.
    const odd = await page('/staff/inbound?kind=bounce');
    expect(odd.status).toBe(200);
    expect(odd.html).toContain('2件中');
  });

  it('escapes what the sender wrote', async () => {
    const run = await mailInbound(
      [
        'From: "<img src=x onerror=alert(1)>" <evil@example.net>',
        'To: no-reply@ikenbako.example.org',
        'Subject: <script>alert(1)</script>',
        'Message-ID: <escape-test@example.net>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        '<b>bold?</b>',
        '',
      ].join('\r\n'),
    );
    expect(run.code, run.stderr).toBe(0);
    const { html } = await page('/staff/inbound?kind=message');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt;');
    expect(html).not.toContain('<img src=x');
  });

  it('pages by 50, keeping the filter in the links', async () => {
    // Two kept so far (the citizen's question, the escaping test); fifty more.
    const base = Date.now() - 3_600_000;
    for (let i = 0; i < 50; i++) {
      await saveInboundMessage(
        db,
        { messageId: `<paging-${i}@example.net>`, from: `p${i}@example.net`, to: null, subject: `ページ送り${i}`, text: 'x', sentAt: null },
        new Date(base + i * 1000),
      );
    }
    const first = await page('/staff/inbound?kind=message');
    expect(first.html).toContain('52件中 1〜50件目を表示(1/2ページ目)');
    expect(first.html).toMatch(/<a rel="next"[^>]*href="\/staff\/inbound\?kind=message&amp;page=2"/);
    const second = await page('/staff/inbound?kind=message&page=2');
    expect(second.html).toContain('52件中 51〜52件目を表示(2/2ページ目)');
    // Newest first: the oldest of the batch comes last.
    expect(second.html).toContain('ページ送り0');
    expect(second.html).toMatch(/<a rel="prev"[^>]*href="\/staff\/inbound\?kind=message&amp;page=1"/);
    expect(second.html).not.toContain('次のページ');
  });

  it('is in every role’s navigation and closed to people not signed in', async () => {
    const { html } = await page('/staff');
    expect(html).toContain('href="/staff/inbound"');
    const anonymous = await fetch(`${server.url}/staff/inbound`, { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/^\/staff\/login\?redirectTo=/);
  });
});

describe('期間外 in the inbox and on the opinion page', () => {
  let inside: { id: number; trackingNumber: string };
  let outside: { id: number; trackingNumber: string };

  beforeAll(async () => {
    inside = await createOpinion(db, opinionInput({ body: '期間内に電話で受けた意見です。', channel: 'phone' }));
    // The notice closes; a phone opinion recorded after that is kept, marked 期間外.
    await db.updateTable('reports').set({ closes_at: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', 1).execute();
    outside = await createOpinion(db, opinionInput({ body: '締め切り後に電話で受けた意見です。', channel: 'phone' }));
    const flags = await db.selectFrom('opinions').select(['id', 'outside_period']).where('id', 'in', [inside.id, outside.id]).execute();
    expect(Object.fromEntries(flags.map((f) => [f.id, f.outside_period]))).toEqual({ [inside.id]: 0, [outside.id]: 1 });
  });

  it('marks the row in the inbox, in words', async () => {
    const { html } = await page('/staff');
    const marked = rowWith(html, outside.trackingNumber);
    expect(marked).toContain('class="period-marker"');
    expect(marked).toMatch(/期間外<span class="visually-hidden">\(意見募集期間の外で受け付けた意見\)<\/span>/);
    expect(rowWith(html, inside.trackingNumber)).not.toContain('期間外');
  });

  it('marks the opinion page beside its received time', async () => {
    const { html } = await page(`/staff/opinions/${outside.id}`);
    const received = html.slice(html.indexOf('<dt>受付日時</dt>'), html.indexOf('<dt>受付経路</dt>'));
    expect(received).toContain('period-marker');
    expect(received).toContain('(意見募集期間の外で受け付けた意見)');
    const plain = await page(`/staff/opinions/${inside.id}`);
    expect(plain.html).not.toContain('period-marker');
  });
});
