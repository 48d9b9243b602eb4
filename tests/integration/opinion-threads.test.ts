// Opinion posts on threads of their own (decision 018): through the real
// server with two threads, every opinion is stored once, limits and double
// submissions hold across threads, and a thread that dies is started again.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { RequestThreads, ThreadLostError, type ThreadResponse } from '~/server/request-threads.server';
import { postForm, receiptToken, waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { emlFiles } from '../helpers/smtp';

const SLUG = 'xiuzhou-inspection-2023';
const TRACKING = /XZ-\d{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

let server: TestServer;
let db: DB;

beforeAll(async () => {
  server = await startTestServer({ OPINION_THREADS: '2', RATE_LIMIT_OPINIONS: '3', TRUST_PROXY: '1' });
  db = openDatabase(server.databasePath).db;
});

afterAll(async () => {
  await server?.stop();
  await db?.destroy();
});

function opinion(client: string, body: string, extra: Record<string, string> = {}) {
  return postForm(`${server.url}/reports/${SLUG}/opinions`, { section: '2', body, consent: 'on', ...extra }, { headers: { 'X-Forwarded-For': client } });
}

describe('opinions taken by two threads', () => {
  it('stores each of 24 opinions sent at once, with its own receipt and one office mail each', async () => {
    const bodies = Array.from({ length: 24 }, (_, i) => `同時に送られた意見その${i + 1}です。スレッドで受け付けられます。`);
    const answers = await Promise.all(bodies.map((body, i) => opinion(`198.51.100.${i + 1}`, body)));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 303));
    const tokens = answers.map(receiptToken);
    expect(new Set(tokens).size).toBe(24);
    // Both threads took some: the request log names the thread that answered.
    await waitFor(() => (server.logs().match(/"method":"POST","path":"\/reports\/[^"]+\/opinions","status":303,"ms":[\d.]+,"thread":\d\}/g) ?? []).length >= 24, {
      message: 'a log line with its thread for each opinion',
    });
    const threads = [...server.logs().matchAll(/"status":303,"ms":[\d.]+,"thread":(\d)\}/g)].map((m) => m[1]);
    expect(new Set(threads)).toEqual(new Set(['1', '2']));

    const rows = await db.selectFrom('opinions').select(['body', 'tracking_number']).where('body', 'in', bodies).execute();
    expect(rows.map((r) => r.body).sort()).toEqual([...bodies].sort());
    // The receipt (answered by the main thread) shows what the thread stored.
    const receipt = await (await fetch(`${server.url}/receipts/${tokens[5]}`)).text();
    expect(receipt).toContain(rows.find((r) => r.body === bodies[5])!.tracking_number);
    expect(TRACKING.test(receipt)).toBe(true);

    await waitFor(
      async () => {
        const office = await db.selectFrom('outbox_messages').select('id').where('kind', '=', 'office_notification').execute();
        return office.length >= 24;
      },
      { message: 'an office notification queued for each opinion' },
    );
    const office = await db.selectFrom('outbox_messages').select('opinion_id').where('kind', '=', 'office_notification').execute();
    expect(new Set(office.map((m) => m.opinion_id)).size).toBe(office.length);
  });

  it('a rate limit holds across threads: of five sent at once from one address, three are taken', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => opinion('203.0.113.50', `一つの端末から同時に送られた意見その${i + 1}です。`)),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 303, 303, 429, 429]);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('分');
  });

  it('the same opinion sent twice at once is stored once, and both answers carry its receipt', async () => {
    const body = '二つのスレッドに同時に届いた同じ意見です。一度だけ記録されます。';
    const answers = await Promise.all([opinion('203.0.113.60', body, { formToken: 'same-form-token-123' }), opinion('203.0.113.60', body, { formToken: 'same-form-token-123' })]);
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    expect(receiptToken(answers[0])).toBe(receiptToken(answers[1]));
    const stored = await db.selectFrom('opinions').select('id').where('body', '=', body).execute();
    expect(stored).toHaveLength(1);
  });

  it('leaves an upload form\'s multipart post to the main thread', async () => {
    const form = new FormData();
    form.set('section', '2');
    form.set('body', 'ファイルを付けられるフォームから、ファイルなしで送った意見です。');
    form.set('consent', 'on');
    const res = await fetch(`${server.url}/reports/${SLUG}/opinions`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
      headers: { Origin: server.url, 'X-Forwarded-For': '203.0.113.80' },
    });
    expect(res.status).toBe(303);
    await waitFor(() => /"method":"POST","path":"\/reports\/[^"]+\/opinions","status":303,"ms":[\d.]+\}/.test(server.logs()), {
      message: 'a log line without a thread for the multipart post',
    });
  });

  it('bad input answered by a thread is a Japanese 400 page that keeps what was typed, with the page nonce in its policy', async () => {
    const res = await opinion('203.0.113.70', '', { name: '山田 花子' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('入力してください。');
    expect(html).toContain('山田 花子');
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`nonce="${nonce}"`);
  });
});

describe('the outbox', () => {
  it('is delivered by one opinion thread, not the main thread', () => {
    const started = server.logs().match(/"msg":"outbox worker started"[^\n]*/g) ?? [];
    expect(started).toHaveLength(1);
    expect(started[0]).toContain('"mainThread":false');
  });

  it('is delivered by the main thread when there are no opinion threads, its files written through the thread pool', async () => {
    const alone = await startTestServer({ OPINION_THREADS: '0' });
    try {
      const started = alone.logs().match(/"msg":"outbox worker started"[^\n]*/g) ?? [];
      expect(started).toHaveLength(1);
      expect(started[0]).toContain('"mainThread":true');
      const res = await postForm(`${alone.url}/reports/${SLUG}/opinions`, { section: '1', body: 'スレッドなしで受け付ける意見です。', consent: 'on' });
      expect(res.status).toBe(303);
      await waitFor(() => /"method":"POST","path":"\/reports\/[^"]+\/opinions","status":303,"ms":[\d.]+\}/.test(alone.logs()), {
        message: 'a log line without a thread',
      });
      // The office's notification, written on the main thread (the file transport's other path): whole, owner-only.
      const [eml] = await waitFor(() => (emlFiles(alone.mailDir).length === 1 ? emlFiles(alone.mailDir) : null), { message: 'the office mail file' });
      expect(fs.statSync(path.join(alone.mailDir, eml)).mode & 0o777).toBe(0o600);
      const message = fs.readFileSync(path.join(alone.mailDir, eml), 'utf8');
      expect(message).toContain('Content-Type: multipart/alternative');
      expect(message).toMatch(/\n--[^\n]+--\s*$/);
      expect(fs.readdirSync(alone.mailDir).filter((f) => !f.endsWith('.eml'))).toEqual([]);
    } finally {
      await alone.stop();
    }
  });
});

describe('the log of a server with an opinion thread', () => {
  let alone: TestServer;

  beforeAll(async () => {
    // The office is the initial admin's address: the main thread logs it at start, the thread
    // that delivers the outbox when it writes the office's mail.
    alone = await startTestServer({ OFFICE_EMAIL: 'admin@localhost' });
  });

  afterAll(async () => {
    await alone?.stop();
  });

  it('hashes an address alike on the main thread and on the thread, and no log line holds it', async () => {
    const res = await postForm(`${alone.url}/reports/${SLUG}/opinions`, { section: '5', body: 'ログの照合を確かめる意見です。', consent: 'on' });
    expect(res.status).toBe(303);
    await waitFor(() => /"msg":"mail written"/.test(alone.logs()), { message: 'the office mail written by the thread' });
    const atStart = /"msg":"initial admin created","email":"email:([0-9a-f]{12})"/.exec(alone.logs());
    const mailed = /"msg":"mail written","file":"[^"]*","to":"email:([0-9a-f]{12})"/.exec(alone.logs());
    expect(atStart).not.toBeNull();
    expect(mailed).not.toBeNull();
    expect(mailed![1]).toBe(atStart![1]);
    // The start-up banner shows the admin's address to the operator; no log line holds it.
    const lines = alone.logs().split('\n').filter((line) => line.startsWith('{'));
    expect(lines.filter((line) => line.includes('"mail written"'))).not.toEqual([]);
    expect(lines.filter((line) => line.includes('admin@localhost'))).toEqual([]);
  });
});

describe('the pool of threads', () => {
  const fixture = pathToFileURL(path.resolve(__dirname, '../fixtures/threads/crashing.worker.mjs'));
  const parts = (url: string) => ({ url, method: 'POST', headers: [] as Array<[string, string]>, body: Buffer.from('x=1') });
  const text = (answer: { response: ThreadResponse }) => new TextDecoder().decode(answer.response.body ?? new Uint8Array());
  const context = { cspNonce: '', clientIp: '127.0.0.1' };

  it('answers a post in flight on a thread that dies with ThreadLostError, then starts the thread again', async () => {
    const pool = new RequestThreads('unused', 1, fixture);
    try {
      await pool.ready();
      const first = await pool.handle(parts('http://x/ok'), context);
      const firstText = text(first);
      expect(firstText).toMatch(/^ok from 1\//);

      await expect(pool.handle(parts('http://x/crash'), context)).rejects.toBeInstanceOf(ThreadLostError);
      expect(pool.restarts).toBe(1);

      const again = await pool.handle(parts('http://x/ok'), context);
      const againText = text(again);
      expect(againText).toMatch(/^ok from 1\//);
      // A new thread (started later), not the old one answering.
      expect(againText).not.toBe(firstText);
    } finally {
      await pool.close();
    }
  });

  it('answers what a thread still held when the pool closes (a page render), and refuses renders after', async () => {
    const pool = new RequestThreads('unused', 1, fixture);
    await pool.ready();
    const settle = (p: Promise<unknown>) =>
      p.then(
        () => 'answered',
        (error) => error,
      );
    // One posted to the thread (which never answers it), one asked for as the pool closes.
    const held = settle(pool.renderForCache('http://x/hang', [], {}));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const late = settle(pool.renderForCache('http://x/hang', [], {}));
    await pool.close();
    expect(await held).toBeInstanceOf(ThreadLostError);
    expect(await late).toBeInstanceOf(ThreadLostError);
    await expect(pool.renderForCache('http://x/ok', [], {})).rejects.toThrow(/closing/);
  });

  it('says so when a thread exits before it is ready, instead of waiting for it forever', async () => {
    const pool = new RequestThreads('exit-before-ready', 1, fixture);
    try {
      await expect(pool.ready()).rejects.toThrow(/exited \(4\) before it was ready/);
      expect(pool.restarts).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
