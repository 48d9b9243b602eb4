// A section's page of published replies, where every reply's email links, is
// kept by the page cache like the report page (decision 015, twenty-fifth
// amendment): one answer per page, language and content version, whatever
// else the query holds; a page that does not exist is Remix's 404, rendered
// for the cache once per content version, not for every request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DB } from '~/server/db.server';
import { BUNDLED_SLUG } from '../helpers/db';
import { postForm } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const SECTION = 3;
let server: TestServer;
let db: DB;
let modCookie = '';
const opinionIds: number[] = [];
const base = () => `${server.url}/reports/${BUNDLED_SLUG}/sections/${SECTION}/replies`;
const entries = (html: string) => html.match(/<article id="reply-\d+" class="reply-entry"/g)?.length ?? 0;
/** Lines in which the page cache says it rendered this path (for a read it could keep, or a 404 it remembers). */
const rendersOf = (path: string) => server.logs().split('\n').filter((l) => l.includes('"msg":"cached page rendered"') && l.includes(`"path":"${path}"`)).length;

function reply(id: number, fields: Record<string, string>) {
  return fetch(`${server.url}/staff/opinions/${id}/reply`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: server.url, Cookie: modCookie },
    body: new URLSearchParams(fields),
  });
}

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMIT_OPINIONS: '1000' });
  db = openDatabase(server.databasePath).db;
  const moderator = await createTestUser(server.databasePath, 'moderator');
  modCookie = await signIn(server.url, moderator.email, moderator.password);
  // Eleven published replies: ten on the first page, one on the second.
  for (let i = 1; i <= 11; i++) {
    const sent = await postForm(`${server.url}/reports/${BUNDLED_SLUG}/opinions`, { section: String(SECTION), item: '', body: `歩道の段差について、${i}件目の意見です。`, consent: 'on' }, { origin: server.url });
    expect(sent.status).toBe(303);
    const { id } = await db.selectFrom('opinions').select('id').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    opinionIds.push(id);
    expect((await reply(id, { intent: 'publish', body: `${i}件目への回答です。` })).status).toBe(302);
  }
});
afterAll(async () => {
  await db?.destroy();
  await server?.stop();
});

describe("a section's replies, kept by the page cache", () => {
  it('sends every reader the same bytes, policy and ETag per page, whatever else the query holds; a 304; brotli', async () => {
    const first = await fetch(base());
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(first.headers.get('content-security-policy')).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')+(;|$)/);
    expect(first.headers.get('cross-origin-opener-policy')).toBeNull();
    const html = await first.text();
    expect(entries(html)).toBe(10);
    expect(html).toContain('11件目への回答です。');
    expect(html).toContain('rel="next"');
    for (const variant of ['?utm_source=wechat', '?page=1', '?page=1&page=2', '?fbclid=x&page=1', '?index', '?_data=root']) {
      const res = await fetch(base() + variant);
      expect(res.status, variant).toBe(200);
      expect(res.headers.get('etag'), variant).toBe(etag);
      expect(await res.text(), variant).toBe(html);
    }
    // Section 03 is section 3 to the route: the same answer.
    expect((await fetch(base().replace(`/sections/${SECTION}/`, `/sections/0${SECTION}/`))).headers.get('etag')).toBe(etag);

    const second = await fetch(`${base()}?page=2`);
    expect(second.status).toBe(200);
    const secondEtag = second.headers.get('etag');
    expect(secondEtag).toMatch(/^W\/"/);
    expect(secondEtag).not.toBe(etag);
    const secondHtml = await second.text();
    expect(entries(secondHtml)).toBe(1);
    expect(secondHtml).toContain('>1件目への回答です。<');
    expect(secondHtml).toContain('rel="prev"');
    for (const variant of ['?page=2&utm_source=x', '?utm_source=x&page=2', '?page=2&page=1']) {
      const res = await fetch(base() + variant);
      expect(res.headers.get('etag'), variant).toBe(secondEtag);
      expect(await res.text(), variant).toBe(secondHtml);
    }

    expect((await fetch(base(), { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const br = await fetch(base(), { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(await br.text()).toBe(html);
    const en = await fetch(`${base()}?lng=en&page=2`);
    expect(en.headers.get('etag')).not.toBe(secondEtag);
    expect(await en.text()).toMatch(/<html lang="en"/);
  });

  it("keeps its loader data (`.data`) per page and choice of routes, and leaves a choice without its own to Remix", async () => {
    const data = await fetch(`${base()}.data`);
    expect(data.status).toBe(200);
    expect(data.headers.get('content-type')).toBe('text/x-script');
    const etag = data.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(data.headers.get('content-security-policy')).not.toMatch(/'nonce-/);
    expect(await data.text()).toContain('11件目への回答です。');
    const page2 = await fetch(`${base()}.data?page=2&_routes=root,routes%2Freports.%24slug_.sections.%24n.replies`);
    expect(page2.headers.get('etag')).toMatch(/^W\/"/);
    expect(page2.headers.get('etag')).not.toBe(etag);
    expect(await page2.text()).toContain('"1件目への回答です。"');
    const own = await fetch(`${base()}.data?_routes=routes%2Freports.%24slug_.sections.%24n.replies`);
    expect(own.headers.get('etag')).not.toBe(etag);
    expect(await own.text()).not.toContain('"root"');
    const rootOnly = await fetch(`${base()}.data?_routes=root`);
    expect(rootOnly.status).toBe(200);
    expect(rootOnly.headers.get('etag')).toBeNull();
  });

  it("answers a page that does not exist with Remix's 404 page, rendered for the cache once per content version", async () => {
    const past = `/reports/${BUNDLED_SLUG}/sections/${SECTION}/replies?page=3`;
    for (const path of [past, past, past, `${base().slice(server.url.length)}?page=0`, `${base().slice(server.url.length)}?page=x`, `/reports/${BUNDLED_SLUG}/sections/99/replies`]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('etag'), path).toBeNull();
      expect(res.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
      expect(await res.text(), path).toContain('ページが見つかりません');
    }
    await expect.poll(() => rendersOf(past)).toBe(1);
    // A page number the route refuses is never asked of the cache.
    expect(rendersOf(`${base().slice(server.url.length)}?page=0`)).toBe(0);
  });

  it('follows a reply withdrawn and published again at once: the second page goes and comes back', async () => {
    const page2 = `${base()}?page=2`;
    expect((await fetch(page2)).status).toBe(200);
    const withdrawn = await reply(opinionIds[0], { intent: 'unpublish', reason: '内容を再確認するため' });
    expect(withdrawn.status).toBe(302);
    expect((await fetch(page2)).status).toBe(404);
    const first = await (await fetch(base())).text();
    expect(entries(first)).toBe(10);
    expect(first).not.toContain('>1件目への回答です。<');
    expect(first).not.toContain('rel="next"');
    expect((await reply(opinionIds[0], { intent: 'publish', body: '1件目への回答です。' })).status).toBe(302);
    const again = await fetch(page2);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('>1件目への回答です。<');
  });
});
