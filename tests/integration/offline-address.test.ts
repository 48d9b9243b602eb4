// Over HTTP against the production server: a clerk records a phone opinion
// with a postal address; the acknowledgement is a letter addressed to it; the
// address is masked before publishing and shows on no public page, receipt,
// /track or CSV export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { formatDate } from '~/utils/local-time';
import { BUNDLED_SLUG } from '../helpers/db';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const ADDRESS = '嘉興市秀洲区 新城路123号 4幢501室';
const ISSUER = '中国共産党嘉興市秀洲区委員会';
const MAILBOX = '嘉興市秀洲区洪興路1765号秀洲区行政センター527室';
const BODY = '新城路123号の前の街灯が暗く、4幢501室の窓から見ても真っ暗です。街灯を増やしてください。';
const REPLY = 'ご意見ありがとうございます。街灯は来月増設します。';

let server: TestServer;
let db: DB;
let clerkCookie: string;
let modCookie: string;
let opinion: { id: number; trackingNumber: string; receiptToken: string; ackPath: string };

function post(path: string, cookie: string, fields: Record<string, string>) {
  return fetch(server.url + path, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields),
  });
}

function unescapeHtml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The parts of the address that name the house, however a page might carry them. */
function leakedAddress(html: string): string[] {
  const escaped = (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return ['新城路123号', '新城路', '4幢501室', '501室', escaped('新城路')].filter((n) => html.includes(n));
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  const [clerk, moderator] = await Promise.all([
    createTestUser(server.databasePath, 'staff', { displayName: '受付 花子' }),
    createTestUser(server.databasePath, 'moderator'),
  ]);
  [clerkCookie, modCookie] = await Promise.all([signIn(server.url, clerk.email, clerk.password), signIn(server.url, moderator.email, moderator.password)]);
  db = openDatabase(server.databasePath).db;
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe('a phone opinion with a postal address', () => {
  it('is stored with the address as a field of the opinion, not as a note', async () => {
    const form = await (await fetch(`${server.url}/staff/opinions/new`, { headers: { Cookie: clerkCookie } })).text();
    expect(form).toContain('受付票の宛先として印刷されます');
    const formToken = /name="formToken" value="([^"]+)"/.exec(form)![1];
    const res = await post('/staff/opinions/new', clerkCookie, {
      formToken,
      channel: 'phone',
      receivedAt: '2026-11-20T09:30',
      target: '1:5:2',
      body: BODY,
      name: '電話 太郎',
      phone: '0573-1234-5678',
      email: '',
      address: ` ${ADDRESS}\r\n`,
      replyWanted: 'on',
      publicOk: 'on',
    });
    expect(res.status).toBe(302);
    const ackPath = res.headers.get('location')!;
    const id = Number(/^\/staff\/opinions\/(\d+)\/ack$/.exec(ackPath)![1]);
    const row = await db.selectFrom('opinions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.address).toBe(ADDRESS);
    expect(await db.selectFrom('opinion_notes').select('body').where('opinion_id', '=', id).execute()).toEqual([]);
    const audit = await db.selectFrom('audit_log').select('action').where('entity_type', '=', 'opinion').where('entity_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['opinion.record']);
    opinion = { id, trackingNumber: row.tracking_number, receiptToken: row.receipt_token, ackPath };
  });

  it('keeps what was typed, the address too, when the form has a problem', async () => {
    const res = await post('/staff/opinions/new', clerkCookie, { channel: 'post', receivedAt: '2026-11-20T09:30', target: '', body: BODY, address: ADDRESS });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('対象の項目を一覧から選んでください');
    expect(html).toContain(`value="${ADDRESS}"`);
  });

  it('prints the acknowledgement as a letter: date, addressee, sender, tracking number and target', async () => {
    const res = await fetch(server.url + opinion.ackPath, { headers: { Cookie: clerkCookie } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const to = /<section class="ack__to" aria-label="宛先">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(to).toContain(ADDRESS);
    expect(to).toContain('電話 太郎 様');
    const from = /<section class="ack__from" aria-label="差出人">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(from).toContain(ISSUER);
    expect(from).toContain(MAILBOX);
    expect(from).toContain('電話 0573-827222911');
    expect(html).toContain(`>${formatDate(new Date().toISOString())}</time>`);
    expect(html).toContain(opinion.trackingNumber);
    expect(html).toContain('第五項「');
    expect(html).toMatch(/<link rel="stylesheet" href="[^"]*ack[^"]*\.css"/);
  });

  it('never shows the address on the receipt, on /track or in the CSV export', async () => {
    const receipt = await fetch(`${server.url}/receipts/${opinion.receiptToken}`);
    expect(receipt.status).toBe(200);
    const track = await fetch(`${server.url}/track?number=${opinion.trackingNumber}`);
    expect(track.status).toBe(200);
    const csv = await fetch(`${server.url}/staff/export.csv?channel=phone`, { headers: { Cookie: clerkCookie } });
    expect(csv.status).toBe(200);
    const [receiptHtml, trackHtml, csvText] = await Promise.all([receipt.text(), track.text(), csv.text()]);
    expect(trackHtml).toContain(opinion.trackingNumber);
    expect(csvText).toContain(opinion.trackingNumber);
    expect(leakedAddress(trackHtml)).toEqual([]);
    expect(leakedAddress(csvText.split(BODY).join(''))).toEqual([]);
    // The receipt shows the opinion's own text (the person's own page) but not the address field.
    const receiptWithoutText = receiptHtml.split(BODY).join('');
    expect(receiptWithoutText).not.toContain(ADDRESS);
    expect(leakedAddress(receiptWithoutText)).toEqual([]);
  });

  it('names the target with its title quoted once on /track, the receipt and the acknowledgement', async () => {
    const pages = await Promise.all(
      [`/track?number=${opinion.trackingNumber}`, `/receipts/${opinion.receiptToken}`, opinion.ackPath].map(async (p) =>
        (await fetch(server.url + p, { headers: { Cookie: clerkCookie } })).text(),
      ),
    );
    for (const html of pages) {
      expect(html).toContain('第五項「');
      expect(html).not.toContain('「「');
      expect(html).not.toContain('」」');
    }
  });
});

describe('publishing a reply to it', () => {
  it('pre-redacts the address in the copy the moderator edits', async () => {
    const res = await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: modCookie } });
    expect(res.status).toBe(200);
    const copy = unescapeHtml(/<textarea[^>]*id="redactedOpinion"[^>]*>([\s\S]*?)<\/textarea>/.exec(await res.text())![1]);
    expect(copy).toBe('●●●の前の街灯が暗く、●●●の窓から見ても真っ暗です。街灯を増やしてください。');
  });

  it('refuses a copy or a reply that still carries the address', async () => {
    const path = `/staff/opinions/${opinion.id}/reply`;
    const copy = await post(path, modCookie, { intent: 'publish', body: REPLY, showOpinion: 'on', redactedOpinion: BODY });
    expect(copy.status).toBe(400);
    const reply = await post(path, modCookie, { intent: 'publish', body: `${REPLY}(新城路123号)`, showOpinion: 'on', redactedOpinion: '街灯が暗いです。' });
    expect(reply.status).toBe(400);
    expect(await db.selectFrom('official_replies').select('id').where('opinion_id', '=', opinion.id).execute()).toEqual([]);
  });

  it('publishes the redacted copy, and no public page carries the address', async () => {
    const page = await (await fetch(`${server.url}/staff/opinions/${opinion.id}/reply`, { headers: { Cookie: modCookie } })).text();
    const copy = unescapeHtml(/<textarea[^>]*id="redactedOpinion"[^>]*>([\s\S]*?)<\/textarea>/.exec(page)![1]);
    const res = await post(`/staff/opinions/${opinion.id}/reply`, modCookie, { intent: 'publish', body: REPLY, showOpinion: 'on', redactedOpinion: copy });
    expect(res.status).toBe(302);
    const replies = `/reports/${BUNDLED_SLUG}/sections/5/replies`;
    for (const path of ['/', `/reports/${BUNDLED_SLUG}`, replies, `${replies}.data`, `/track?number=${opinion.trackingNumber}`]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(leakedAddress(html), path).toEqual([]);
      if (path === replies) expect(html).toContain('●●●の前の街灯が暗く');
    }
  });
});
