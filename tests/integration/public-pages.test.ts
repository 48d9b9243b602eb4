import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '~/server/db.server';
import { waitFor } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

/** The bundled report's view count as written to its database (a stopped server's). */
async function storedViews(databasePath: string): Promise<number> {
  const { db } = openDatabase(databasePath);
  try {
    const row = await db.selectFrom('reports').select('view_count').where('slug', '=', 'xiuzhou-inspection-2023').executeTakeFirstOrThrow();
    return row.view_count;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('public pages over HTTP', () => {
  it('serves the notice with all 13 sections and 52 items', async () => {
    const res = await fetch(`${server.url}/reports/xiuzhou-inspection-2023`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/<section[^>]* id="section-(\d+)"/g)?.filter((m) => !m.includes('section-0'))).toHaveLength(13);
    expect(html.match(/ id="section-\d+-\d+"/g)).toHaveLength(52);
    expect(html).toContain('href="tel:0573827222911"');
    expect(html).toContain('0573-827222911');
    expect(html).toContain('嘉興市秀洲区洪興路1765号秀洲区行政センター527室');
    expect(html.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(html).toContain('<html lang="ja"');
  });

  it('answers an unknown slug with a Japanese 404 page', async () => {
    const res = await fetch(`${server.url}/reports/no-such-report`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('ページが見つかりません');
  });

  it('reports health after a real query', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok' });
  });

  it('links a PNG icon, which is served (an SVG icon is a document the page would lay out, decision 017)', async () => {
    const html = await (await fetch(`${server.url}/`)).text();
    expect(html).toContain('<link rel="icon" href="/favicon.png" type="image/png" sizes="32x32"/>');
    expect(html).not.toContain('favicon.svg');
    const icon = await fetch(`${server.url}/favicon.png`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await icon.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
  });

  it('compresses pages rendered per request in brotli with a 64 KB window (brotli\'s default 4 MB halved their rate)', async () => {
    const raw = (path: string) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        http
          .get(server.url + path, { headers: { 'accept-encoding': 'br' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
          })
          .on('error', reject);
      });
    for (const [path, text] of [
      ['/track', '受付番号'],
      ['/privacy', '個人情報'],
    ]) {
      const { encoding, body } = await raw(path);
      expect(encoding, path).toBe('br');
      // RFC 7932, 9.1: the stream's first bit is 0 for a 16-bit window (the default, 22, starts with 1).
      expect(body[0] & 1, path).toBe(0);
      expect(zlib.brotliDecompressSync(body).toString('utf8'), path).toContain(text);
    }
  });

  it('sets the security headers on pages and static files', async () => {
    for (const path of ['/track', '/favicon.png', '/healthz', '/nope']) {
      const res = await fetch(server.url + path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBeTruthy();
    }
  });
});

describe('the report page cache', () => {
  const page = () => `${server.url}/reports/xiuzhou-inspection-2023`;
  const browserUa = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' };

  it('never leaks a NUL byte or a placeholder into the HTML', async () => {
    const bytes = Buffer.from(await (await fetch(page())).arrayBuffer());
    expect(bytes.indexOf(0)).toBe(-1);
    expect(bytes.toString('utf8')).not.toMatch(/IKB(NONCE|VIEWS|TOKEN)/);
  });

  it('sends every reader the same bytes and the same policy, with no per-response token', async () => {
    const [a, b] = [await fetch(page()), await fetch(page())];
    expect(a.headers.get('content-security-policy')).toBe(b.headers.get('content-security-policy'));
    expect(a.headers.get('content-security-policy')).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+(;|$)/);
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    const html = await a.text();
    expect(await b.text()).toBe(html);
    expect(html).not.toMatch(/name="formToken" value="[^"]/);
  });

  it("gives a link with any query but Remix's own the cached page: campaign tags, click ids, WeChat's, made-up ones", async () => {
    const bare = await fetch(page());
    const etag = bare.headers.get('etag');
    const html = await bare.text();
    for (const query of [
      '?utm_source=wechat&utm_medium=social',
      '?fbclid=IwAR0abc',
      '?from=singlemessage&isappinstalled=0',
      '/?gclid=x&utm_campaign=y',
      '?x=1&y=%E6%84%8F',
      '?',
    ]) {
      const res = await fetch(page() + query);
      expect(res.status, query).toBe(200);
      expect(res.headers.get('etag'), query).toBe(etag);
      expect(res.headers.get('content-security-policy'), query).not.toMatch(/'nonce-/);
      expect(await res.text(), query).toBe(html);
    }
    // ?lng= names the language after the cookie, as Remix reads it (the first one): that language's cached page.
    const zhByCookie = await fetch(page(), { headers: { cookie: 'lng=zh-Hans' } });
    for (const query of ['?lng=zh-Hans&utm_source=x', '?lng=zh-Hans&lng=en']) {
      const zhByQuery = await fetch(page() + query);
      expect(zhByQuery.headers.get('etag'), query).toBe(zhByCookie.headers.get('etag'));
      expect(await zhByQuery.text(), query).toMatch(/<html lang="zh-Hans"/);
    }
    expect(zhByCookie.headers.get('etag')).not.toBe(etag);
    const jaByCookie = await fetch(page(), { headers: { cookie: 'lng=ja' } });
    const cookieFirst = await fetch(`${page()}?lng=en`, { headers: { cookie: 'lng=ja' } });
    expect(cookieFirst.headers.get('etag')).toBe(jaByCookie.headers.get('etag'));
    expect(await cookieFirst.text()).toMatch(/<html lang="ja"/);
    // Remix's own `index` (the same page) and `_data` (loader data before single fetch) too: each was a way past the cache.
    for (const query of ['?_data=routes%2Freports.%24slug', '?utm_source=x&_data=root', '?index']) {
      const res = await fetch(page() + query);
      expect(res.headers.get('content-security-policy'), query).not.toMatch(/'nonce-/);
      expect(res.headers.get('etag'), query).toBe(etag);
      expect(await res.text(), query).toBe(html);
    }
  });

  it('answers a conditional request with 304 and the same policy', async () => {
    const first = await fetch(page(), { headers: browserUa });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    const second = await fetch(page(), { headers: { ...browserUa, 'if-none-match': etag! } });
    expect(second.status).toBe(304);
    expect(second.headers.get('content-security-policy')).toBe(first.headers.get('content-security-policy'));
  });

  it('counts views by people, 304s too, but not bots, HEAD requests or prefetches; the page shows them as of its render', async () => {
    const own = await startTestServer();
    const url = `${own.url}/reports/xiuzhou-inspection-2023`;
    try {
      const first = await fetch(url, { headers: browserUa });
      expect(first.status).toBe(200);
      const shown = Number(/閲覧回数<\/dt><dd>([\d,]+)/.exec(await first.text())?.[1].replace(/,/g, ''));
      expect(shown).toBe(0);
      expect((await fetch(url, { headers: { ...browserUa, 'if-none-match': first.headers.get('etag')! } })).status).toBe(304);
      await fetch(url, { method: 'HEAD', headers: browserUa });
      await fetch(url, { headers: { ...browserUa, 'sec-purpose': 'prefetch' } });
      await fetch(url, { headers: { 'user-agent': 'Googlebot/2.1' } });
      await fetch(url, { headers: { 'user-agent': 'curl/8.0' } });
    } finally {
      // SIGTERM writes the views counted in memory.
      expect(await own.stop()).toBe(0);
    }
    expect(await storedViews(own.databasePath)).toBe(2);
    const again = await startTestServer({ DATABASE_PATH: own.databasePath });
    try {
      const html = await (await fetch(`${again.url}/reports/xiuzhou-inspection-2023`)).text();
      expect(/閲覧回数<\/dt><dd>([\d,]+)/.exec(html)?.[1]).toBe('2');
    } finally {
      await again.stop();
    }
  });

  it.each([
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
  ])('compresses for clients that accept %s', async (accept, expected) => {
    const res = await fetch(page(), { headers: { 'accept-encoding': accept } });
    expect(res.headers.get('content-encoding')).toBe(expected);
    expect(await res.text()).toContain('嘉興市秀洲区洪興路1765号');
  });
});

describe('the list of reports, cached like the report page (the other way in of a surge)', () => {
  const list = (query = '') => `${server.url}/${query}`;

  it('sends every reader the same bytes, policy and ETag, whatever the query carries; a 304; brotli', async () => {
    const [a, b] = [await fetch(list()), await fetch(list())];
    expect(a.status).toBe(200);
    const etag = a.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(b.headers.get('etag')).toBe(etag);
    expect(a.headers.get('content-security-policy')).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+(;|$)/);
    expect(b.headers.get('content-security-policy')).toBe(a.headers.get('content-security-policy'));
    const html = await a.text();
    expect(await b.text()).toBe(html);
    expect(html).toContain('href="/reports/xiuzhou-inspection-2023"');
    expect(html).toContain('<h1>公表された通報</h1>');
    for (const query of ['?utm_source=wechat', '?fbclid=IwAR0abc', '?from=singlemessage&isappinstalled=0', '?index', '?_data=routes%2F_index', '?']) {
      const res = await fetch(list(query));
      expect(res.status, query).toBe(200);
      expect(res.headers.get('etag'), query).toBe(etag);
      expect(await res.text(), query).toBe(html);
    }
    const en = await fetch(list('?lng=en&utm_source=x'));
    expect(en.headers.get('etag')).not.toBe(etag);
    expect(await en.text()).toMatch(/<html lang="en"/);
    expect((await fetch(list('?lng=en'), { headers: { cookie: 'lng=zh-Hans' } })).headers.get('etag')).toBe(
      (await fetch(list(), { headers: { cookie: 'lng=zh-Hans' } })).headers.get('etag'),
    );
    expect((await fetch(list(), { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const br = await fetch(list(), { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(html);
  });

  it("keeps its loader data (`/_root.data`) the same way, and leaves a choice without the list's own to Remix", async () => {
    const data = (query = '') => `${server.url}/_root.data${query}`;
    const all = await fetch(data());
    expect(all.status).toBe(200);
    expect(all.headers.get('content-type')).toBe('text/x-script');
    const etag = all.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(all.headers.get('content-security-policy')).not.toMatch(/'nonce-/);
    const body = await all.text();
    expect(body).toContain('xiuzhou-inspection-2023');
    expect(body).toContain('"root"');
    expect((await fetch(data('?_routes=root,routes%2F_index&utm_source=x'))).headers.get('etag')).toBe(etag);
    const own = await fetch(data('?_routes=routes%2F_index'));
    expect(own.headers.get('etag')).toMatch(/^W\/"/);
    expect(own.headers.get('etag')).not.toBe(etag);
    expect(await own.text()).not.toContain('"root"');
    const rootOnly = await fetch(data('?_routes=root'));
    expect(rootOnly.status).toBe(200);
    expect(rootOnly.headers.get('etag')).toBeNull();
    expect(rootOnly.headers.get('content-security-policy')).toMatch(/'nonce-/);
  });

  it('shows a period closing as time passes within a second or two, with no write to tell it', async () => {
    const own = await startTestServer();
    try {
      const before = await (await fetch(`${own.url}/`)).text();
      expect(before).toContain('受付中');
      expect(before).not.toContain('募集終了');
      // Written beside the server, as a clock would change it: the page cache
      // sees the period close when it next reads the content version.
      const { db } = openDatabase(own.databasePath);
      try {
        await db
          .updateTable('reports')
          .set({ closes_at: new Date(Date.now() + 1_500).toISOString() })
          .where('slug', '=', 'xiuzhou-inspection-2023')
          .execute();
      } finally {
        await db.destroy();
      }
      await waitFor(async () => (await (await fetch(`${own.url}/`)).text()).includes('募集終了'), { timeout: 5_000, interval: 100, message: 'the list to say the period closed' });
    } finally {
      await own.stop();
    }
  });
});

describe("the report page's loader data, as a client-side navigation fetches it (single fetch)", () => {
  const data = (query = '') => `${server.url}/reports/xiuzhou-inspection-2023.data${query}`;
  const browserUa = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36' };

  it('is kept like the page: the same bytes for everyone, with an ETag, a 304, brotli, and no nonce', async () => {
    const [a, b] = [await fetch(data()), await fetch(data())];
    expect(a.status).toBe(200);
    // What Remix's client reads as loader data.
    expect(a.headers.get('content-type')).toBe('text/x-script');
    expect(a.headers.get('x-remix-response')).toBe('yes');
    const etag = a.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(b.headers.get('etag')).toBe(etag);
    const body = await a.text();
    expect(await b.text()).toBe(body);
    expect(body).toContain('0573-827222911');
    expect(a.headers.get('content-security-policy')).not.toMatch(/'nonce-/);
    expect((await fetch(data(), { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const br = await fetch(data(), { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(body);
    // Campaign tags, Remix's `index` and `_data`, and every route named (or more), are the same answer.
    for (const query of [
      '?utm_source=wechat',
      '?index',
      '?_data=routes%2Freports.%24slug',
      '?_routes=root,routes%2Freports.%24slug',
      '?_routes=routes%2Freports.%24slug,root,routes%2Fnothing',
    ]) {
      const res = await fetch(data(query));
      expect(res.headers.get('etag'), query).toBe(etag);
      expect(await res.text(), query).toBe(body);
    }
  });

  it("keeps one answer per choice of routes and language, and leaves a choice without the report's own to Remix", async () => {
    const all = await fetch(data());
    const own = await fetch(data('?_routes=routes%2Freports.%24slug'));
    expect(own.headers.get('etag')).toMatch(/^W\/"/);
    expect(own.headers.get('etag')).not.toBe(all.headers.get('etag'));
    // Without the root's data: no site name, still the notice.
    const ownBody = await own.text();
    expect(ownBody).toContain('0573-827222911');
    expect(ownBody).not.toContain('"root"');
    expect(await all.text()).toContain('"root"');
    const en = await fetch(data('?lng=en&utm_source=x'));
    const enByCookie = await fetch(data(), { headers: { cookie: 'lng=en' } });
    expect(en.headers.get('etag')).toBe(enByCookie.headers.get('etag'));
    expect(en.headers.get('etag')).not.toBe(all.headers.get('etag'));
    // As Remix reads `_routes`: the first one, unknown ids matching nothing.
    for (const query of ['?_routes=routes%2Freports.%24slug&_routes=root', '?_routes=routes%2Freports.%24slug,routes%2Fnothing']) {
      expect((await fetch(data(query))).headers.get('etag'), query).toBe(own.headers.get('etag'));
    }
    for (const query of ['?_routes=root', '?_routes=routes%2Fnothing', '?_routes=', '?_routes=root&_routes=routes%2Freports.%24slug']) {
      const res = await fetch(data(query));
      expect(res.status, query).toBe(200);
      expect(res.headers.get('etag'), query).toBeNull();
      expect(res.headers.get('content-security-policy'), query).toMatch(/'nonce-/);
    }
    const missing = await fetch(`${server.url}/reports/no-such-report.data`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('etag')).toBeNull();
  });

  it('counts a view by a person, as the page does, and none by a bot', async () => {
    const own = await startTestServer();
    try {
      expect((await fetch(`${own.url}/reports/xiuzhou-inspection-2023.data`, { headers: browserUa })).status).toBe(200);
      expect((await fetch(`${own.url}/reports/xiuzhou-inspection-2023.data?_routes=routes%2Freports.%24slug`, { headers: browserUa })).status).toBe(200);
      await fetch(`${own.url}/reports/xiuzhou-inspection-2023.data`, { headers: { 'user-agent': 'Googlebot/2.1' } });
    } finally {
      expect(await own.stop()).toBe(0);
    }
    expect(await storedViews(own.databasePath)).toBe(2);
  });
});
