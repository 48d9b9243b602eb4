// Citizens send opinions over HTTP to the real production server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { startTestServer, type TestServer } from '../helpers/server';
import { postReadingLate } from '../helpers/http';

const SLUG = 'xiuzhou-inspection-2023';
const PHONE = '0573-827222911';
const MAILBOX = '嘉興市秀洲区洪興路1765号秀洲区行政センター527室';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let server: TestServer;
let limited: TestServer;

beforeAll(async () => {
  [server, limited] = await Promise.all([
    startTestServer({ RATE_LIMIT_OPINIONS: '1000' }),
    // The default limit (5 per 10 minutes).
    startTestServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), limited?.stop()]);
});

let counter = 0;
function opinion(fields: Record<string, string> = {}) {
  counter++;
  return {
    section: '3',
    item: '2',
    body: `強化プロジェクトの計画について、進み具合を定期的に公表してください。(${counter})`,
    name: '山田太郎',
    email: 'taro@example.jp',
    phone: '090-1234-5678',
    consent: 'on',
    ...fields,
  };
}

function post(srv: TestServer, fields: Record<string, string>, init: RequestInit = {}, slug = SLUG) {
  return fetch(`${srv.url}/reports/${slug}/opinions`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    redirect: 'manual',
    ...init,
  });
}

async function countOpinions(srv: TestServer): Promise<number> {
  const { db } = openDatabase(srv.databasePath);
  try {
    const row = await db.selectFrom('opinions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return row.n;
  } finally {
    await db.destroy();
  }
}

async function opinionByTracking(srv: TestServer, trackingNumber: string) {
  const { db } = openDatabase(srv.databasePath);
  try {
    return await db.selectFrom('opinions').selectAll().where('tracking_number', '=', trackingNumber).executeTakeFirst();
  } finally {
    await db.destroy();
  }
}

async function sendAndFollow(fields: Record<string, string>) {
  const res = await post(server, fields);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/receipts\/[A-Za-z0-9_-]{22,}$/);
  const receipt = await fetch(server.url + location);
  const html = await receipt.text();
  return { location, receipt, html, trackingNumber: TRACKING.exec(html)?.[0] ?? '' };
}

describe('sending an opinion without JavaScript', () => {
  it('answers 303 to a receipt that shows the tracking number and the text but never the person', async () => {
    const fields = opinion({ name: '秘密の名前', email: 'secret-person@example.jp', phone: '0573-111-2222' });
    const { receipt, html, trackingNumber } = await sendAndFollow(fields);
    expect(receipt.status).toBe(200);
    expect(trackingNumber).toMatch(TRACKING);
    expect(html).toContain('強化プロジェクトの計画について');
    expect(html).toContain('第三項');
    expect(html).toContain('(二)');
    expect(html).toContain(PHONE);
    expect(html).toContain(MAILBOX);
    expect(html).toMatch(/<meta name="robots" content="noindex[^"]*"/);
    expect(receipt.headers.get('x-robots-tag')).toBe('noindex');
    expect(html).not.toContain('秘密の名前');
    expect(html).not.toContain('secret-person@example.jp');
    expect(html).not.toContain('0573-111-2222');

    const row = (await opinionByTracking(server, trackingNumber))!;
    expect(row).toMatchObject({ section_number: 3, item_number: 2, name: '秘密の名前', channel: 'web', status: 'new', consent: 1 });
    // A keyed hash of the address, never the address itself.
    expect(row.client_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(String(row.client_hash)).not.toContain('127.0.0.1');
  });

  it('answers 400 with the section form, Japanese errors beside the fields and everything typed', async () => {
    const before = await countOpinions(server);
    const res = await post(server, { section: '5', body: '短すぎる意見', name: '佐藤花子', email: 'hanako@', phone: '0573-99', replyWanted: 'on', publicOk: 'on' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('意見は10文字以上で入力してください(現在6文字)。');
    expect(html).toContain('メールアドレスの形式が正しくありません');
    expect(html).toContain('「個人情報の取扱い」への同意が必要です');
    expect(html).toMatch(/<textarea[^>]*aria-invalid="true"[^>]*>短すぎる意見<\/textarea>/);
    expect(html).toMatch(/id="op-5-body"[^>]*aria-describedby="[^"]*op-5-body-error/);
    expect(html).toContain('value="佐藤花子"');
    expect(html).toContain('value="hanako@"');
    expect(html).toContain('value="0573-99"');
    expect(html).toMatch(/id="op-5-publicOk"[^>]*checked/);
    expect(html).toMatch(/<details class="opinion-form" open/);
    expect(await countOpinions(server)).toBe(before);
  });

  it('answers 404 for an unknown report', async () => {
    const res = await post(server, opinion(), {}, 'no-such-report');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('ページが見つかりません');
  });

  it('answers 400 for an unknown section or item', async () => {
    const before = await countOpinions(server);
    const section = await post(server, opinion({ section: '14', item: '' }));
    expect(section.status).toBe(400);
    expect(await section.text()).toContain('第14項はありません');
    const item = await post(server, opinion({ section: '3', item: '99' }));
    expect(item.status).toBe(400);
    expect(await item.text()).toContain('選ばれた小項目はありません');
    const notNumber = await post(server, opinion({ section: 'abc' }));
    expect(notNumber.status).toBe(400);
    expect(await countOpinions(server)).toBe(before);
  });

  it('answers 413 for a body over 64 KB and 415 for something that is not a form', async () => {
    const big = await post(server, opinion({ body: 'あ'.repeat(30_000) }));
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toContain('text/html');
    expect(await big.text()).toContain('大きすぎます');
    const json = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(opinion()),
    });
    expect(json.status).toBe(415);
    expect(json.headers.get('content-type')).toContain('text/html');
    expect(await json.text()).toContain('フォームの形式で送信してください');
  });

  it('answers 413 for a body over 64 KB to a client that reads only after it has sent it', async () => {
    const { answer, writeError } = await postReadingLate(server.url, `/reports/${SLUG}/opinions`, {
      headers: { Origin: server.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      declaredBytes: 100 * 1024 * 1024,
      sendBytes: 16 * 1024 * 1024,
    });
    expect(answer.split('\r\n')[0], `write error: ${writeError}`).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer).toContain('大きすぎます');
  });

  it('never answers 500 to garbage', async () => {
    const bodies: Array<[string, string | Uint8Array]> = [
      ['application/x-www-form-urlencoded', 'section=3&body=%FF%FE%80%E3%81&consent=on&%%%=&&=='],
      ['application/x-www-form-urlencoded', new Uint8Array([0xff, 0xfe, 0x00, 0x3d, 0x26, 0xc3, 0x28])],
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data\r\n\r\nbroken'],
      ['multipart/form-data', 'no boundary at all'],
      ['application/x-www-form-urlencoded', 'section=999999999999&item=-1&body[]=x&consent=maybe'],
    ];
    for (const [type, body] of bodies) {
      const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, { method: 'POST', headers: { 'Content-Type': type }, body: body as BodyInit, redirect: 'manual' });
      expect(res.status, `${type} ${String(body)}`).toBeLessThan(500);
    }
  });

  it('answers a honeypot hit like a success and stores nothing', async () => {
    const before = await countOpinions(server);
    const res = await post(server, opinion({ website: 'http://spam.example' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('ご意見を受け付けました');
    expect(html).toMatch(TRACKING);
    expect(await countOpinions(server)).toBe(before);
  });
});

describe('double submissions', () => {
  it('returns the first opinion when the same form render is posted twice', async () => {
    const before = await countOpinions(server);
    const formToken = `tok-${Date.now()}-dedupe`;
    const fields = opinion({ formToken });
    const first = await post(server, fields);
    const second = await post(server, fields);
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await countOpinions(server)).toBe(before + 1);
  });

  it('never hands out the first receipt for a different text sent with the same token', async () => {
    const formToken = `tok-${Date.now()}-shared`;
    const first = await post(server, opinion({ formToken }));
    const other = await post(server, opinion({ formToken, body: '同じページを開いた別の人の、まったく別の意見です。' }));
    expect(other.status).toBe(303);
    expect(other.headers.get('location')).not.toBe(first.headers.get('location'));
  });

  it('returns the first opinion for the same body on the same section from the same client', async () => {
    const before = await countOpinions(server);
    const fields = opinion({ section: '7', item: '' });
    const first = await post(server, fields);
    const second = await post(server, { ...fields, body: `  ${fields.body}\r\n` });
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    // The same text on another section is a different opinion.
    const other = await post(server, { ...fields, section: '8' });
    expect(other.headers.get('location')).not.toBe(first.headers.get('location'));
    expect(await countOpinions(server)).toBe(before + 2);
  });
});

describe('sending with JavaScript (a fetcher)', () => {
  it('answers data with the tracking number instead of a redirect', async () => {
    const res = await post(server, opinion({ _js: '1' }), {}, SLUG);
    expect(res.status).toBe(200);
    const single = await fetch(`${server.url}/reports/${SLUG}/opinions.data`, {
      method: 'POST',
      body: new URLSearchParams(opinion({ _js: '1' })),
      redirect: 'manual',
    });
    expect(single.status).toBe(200);
    const text = await single.text();
    expect(text).toMatch(TRACKING);
    expect(text).not.toContain('taro@example.jp');
  });
});

describe('/track', () => {
  it('shows 受付 for a new opinion and never the person', async () => {
    const { trackingNumber } = await sendAndFollow(opinion({ name: '追跡太郎', email: 'track-person@example.jp' }));
    const res = await fetch(`${server.url}/track?number=${encodeURIComponent(trackingNumber.toLowerCase())}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(trackingNumber);
    expect(html).toContain('受付');
    expect(html).toContain('回答はまだ公開されていません');
    expect(html).not.toContain('追跡太郎');
    expect(html).not.toContain('track-person@example.jp');
  });

  it('says politely when a number is unknown or malformed', async () => {
    const unknown = await fetch(`${server.url}/track?number=XZ-2023-0000-0000`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('見つかりませんでした');
    const malformed = await fetch(`${server.url}/track?number=hello`);
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('形式が正しくありません');
    const empty = await fetch(`${server.url}/track`);
    expect(empty.status).toBe(200);
  });

  it('limits look-ups per client (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) {
      last = await fetch(`${limited.url}/track?number=XZ-2023-0000-${String(i).padStart(4, '0')}`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.text()).toContain('一時的に受け付けを停止しています');
  });
});

describe('rate limit', () => {
  it('allows 5 opinions per client, then answers 429 with Retry-After and the phone and mailbox', async () => {
    // A typo stores nothing and does not use up the allowance.
    expect((await post(limited, opinion({ body: '短い' }))).status).toBe(400);
    for (let i = 0; i < 5; i++) {
      expect((await post(limited, opinion())).status).toBe(303);
    }
    const res = await post(limited, opinion());
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const html = await res.text();
    expect(html).toContain('受付を一時的に停止しています');
    expect(html).toContain(PHONE);
    expect(html).toContain(MAILBOX);
    expect(await countOpinions(limited)).toBe(5);
  });
});

describe('health', () => {
  it('reports the outbox', async () => {
    const res = await fetch(`${server.url}/healthz`);
    const body = (await res.json()) as { outbox: { pending: number; failed: number } };
    expect(body.outbox).toEqual({ pending: expect.any(Number), failed: 0, bounced24h: 0 });
  });
});
