// The cached report page is rendered on an opinion thread (decision 015,
// amended), off the event loop that answers every read: the page is the one
// the main thread renders, byte for byte, and it shows the views the main
// thread has counted but not yet written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

const PAGE = '/reports/xiuzhou-inspection-2023';
const BOT = { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' };
const BROWSER = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' };

let threaded: TestServer;
let single: TestServer;

beforeAll(async () => {
  threaded = await startTestServer();
  // A second instance on the same database, rendering on its event loop.
  single = await startTestServer({ DATABASE_PATH: threaded.databasePath, OPINION_THREADS: '0' });
});

afterAll(async () => {
  await single?.stop();
  await threaded?.stop();
});

function rendered(server: TestServer): Array<{ lng: string; on: string; status: number }> {
  // Each log line is one JSON object; this one's fields follow its message.
  return [...server.logs().matchAll(/"msg":"cached page rendered"[^\n]*/g)].map((m) => JSON.parse(`{${m[0]}`) as { lng: string; on: string; status: number });
}

describe('the report page rendered for the cache', () => {
  it('is rendered on the thread, and is the page the main thread renders, byte for byte', async () => {
    // Bots are not counted, so both renders show the same views.
    const a = await fetch(`${threaded.url}${PAGE}`, { headers: BOT });
    const b = await fetch(`${single.url}${PAGE}`, { headers: BOT });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    const html = await a.text();
    expect(html).toContain('嘉興市秀洲区洪興路1765号');
    expect(await b.text()).toBe(html);
    expect(a.headers.get('content-security-policy')).toBe(b.headers.get('content-security-policy'));
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    await waitFor(() => rendered(threaded).length > 0 && rendered(single).length > 0, { message: 'a render logged by each server' });
    expect(rendered(threaded)[0]).toMatchObject({ lng: 'ja', on: 'thread', status: 200 });
    expect(rendered(single)[0]).toMatchObject({ lng: 'ja', on: 'main', status: 200 });
  });

  it('shows the views the main thread has counted, written or not', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${threaded.url}${PAGE}`, { headers: BROWSER })).status).toBe(200);
    // Another language is another page, rendered now on the thread. Read by a
    // bot, so that reading it counts nothing: the page must come to show 3
    // well within the 30 s its counts may otherwise age (the views are written
    // every 5 s; a render that met that write is rendered again at once).
    const views = async () => {
      const en = await (await fetch(`${threaded.url}${PAGE}`, { headers: { ...BOT, cookie: 'lng=en' } })).text();
      return /<dt>[^<]*[Vv]iews?[^<]*<\/dt><dd>([\d,]+)/.exec(en)?.[1];
    };
    await waitFor(async () => (await views()) === '3', { timeout: 10_000, message: 'the English page showing the 3 views' });
    expect(rendered(threaded).map((r) => `${r.lng}:${r.on}`)).toContain('en:thread');
  });
});
