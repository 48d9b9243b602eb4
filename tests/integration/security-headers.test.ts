// Every kind of response carries the security headers; a page's inline
// scripts run only by the nonce of their own response, or (the cached report
// page, the same bytes for everyone) by their hashes; build assets are immutable;
// staff session cookies are httpOnly and SameSite.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm, receiptToken } from '../helpers/http';
import { startTestServer, type TestServer } from '../helpers/server';
import { createTestUser, signIn } from '../helpers/staff';

const HTTPS_URL = 'https://ikenbako.example.jp';

const SLUG = 'xiuzhou-inspection-2023';
let server: TestServer;
let limited: TestServer;
let secure: TestServer;

beforeAll(async () => {
  [server, limited, secure] = await Promise.all([
    startTestServer({ RATE_LIMIT_OPINIONS: '100000000' }),
    startTestServer({ RATE_LIMIT_OPINIONS: '1' }),
    // Served over plain http here, as behind a TLS-terminating proxy; the public address is https.
    startTestServer({ PUBLIC_URL: HTTPS_URL }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), limited?.stop(), secure?.stop()]);
});

function scriptSrc(csp: string): string {
  return /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1] ?? '';
}

function expectSecurityHeaders(res: Response, label: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(scriptSrc(csp), `${label}: script-src`).toMatch(/'(?:nonce|sha256)-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc(csp), `${label}: script-src`).not.toContain("'unsafe-inline'");
  expect(scriptSrc(csp), `${label}: script-src`).not.toContain("'unsafe-eval'");
  expect(csp, label).toMatch(/frame-ancestors 'none'/);
  expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), label).toBeTruthy();
}

function opinionForm(body: string) {
  return { section: '1', item: '', body, consent: 'on' };
}

describe('security headers on every kind of response', () => {
  it('HTML page, 404, JSON, static asset, favicon, POST answers, redirect and 429', async () => {
    const page = await fetch(`${server.url}/reports/${SLUG}`);
    const html = await page.text();
    const asset = /<script[^>]+src="(\/build\/[^"]+\.js)"|<link[^>]+href="(\/build\/[^"]+\.(?:js|css))"/.exec(html);
    expect(asset, 'the page loads a build asset').not.toBeNull();

    const post = (url: string, fields: Record<string, string>) => postForm(`${url}/reports/${SLUG}/opinions`, fields);
    const responses: Array<[string, Response, number | null]> = [
      ['HTML page', page, 200],
      ['404 page', await fetch(`${server.url}/no-such-page`), 404],
      ['JSON /healthz', await fetch(`${server.url}/healthz`), 200],
      ['static build asset', await fetch(server.url + (asset![1] ?? asset![2])), 200],
      ['favicon', await fetch(`${server.url}/favicon.png`), 200],
      ['POST answer (400)', await post(server.url, opinionForm('短い')), 400],
      ['redirect (303)', await post(server.url, opinionForm('セキュリティヘッダー試験の意見です。')), 303],
      ['redirect (GET on the action)', await fetch(`${server.url}/reports/${SLUG}/opinions`, { redirect: 'manual' }), null],
      ['415', await fetch(`${server.url}/reports/${SLUG}/opinions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }), 415],
    ];
    await post(limited.url, opinionForm('一通目の意見です。制限に達します。'));
    responses.push(['429', await post(limited.url, opinionForm('二通目の意見です。制限を超えています。')), 429]);

    for (const [label, res, status] of responses) {
      if (status !== null) expect(res.status, label).toBe(status);
      expectSecurityHeaders(res, label);
    }
  });

  it("keeps other origins' windows away from every page rendered per request, not from the cached report page, list and replies", async () => {
    const user = await createTestUser(server.databasePath, 'staff');
    const cookie = await signIn(server.url, user.email, user.password);
    const sent = await postForm(`${server.url}/reports/${SLUG}/opinions`, opinionForm('開く窓の方針を確かめるための意見です。'));
    const token = receiptToken(sent);
    expect(token, 'the opinion was received').not.toBeNull();
    const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: 'manual' });
    const pages: Array<[string, Response, number]> = [
      ['tracking', await get('/track'), 200],
      ['privacy', await get('/privacy'), 200],
      ['results', await get(`/reports/${SLUG}/results`), 200],
      ["a section's replies, a page past the last", await get(`/reports/${SLUG}/sections/1/replies?page=2`), 404],
      ['staff sign-in', await get('/staff/login'), 200],
      ['staff inbox', await get('/staff', { cookie }), 200],
      ['receipt', await get(`/receipts/${token}`), 200],
      ['400 page of the opinions action', await postForm(`${server.url}/reports/${SLUG}/opinions`, opinionForm('短い')), 400],
      ['404 page', await get('/no-such-page'), 404],
      ['unknown report', await get('/reports/no-such-report'), 404],
    ];
    for (const [label, res, status] of pages) {
      expect(res.status, label).toBe(status);
      expect(res.headers.get('content-type'), label).toMatch(/^text\/html/);
      expect(res.headers.get('cross-origin-opener-policy'), label).toBe('same-origin');
    }
    for (const path of [`/reports/${SLUG}`, '/', `/reports/${SLUG}/sections/1/replies`]) {
      const cached = await fetch(server.url + path);
      expect(cached.status, path).toBe(200);
      expect(cached.headers.get('etag'), path).toMatch(/^W\/"/);
      expect(cached.headers.get('cross-origin-opener-policy'), path).toBeNull();
      expect(cached.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });

  it("puts the response's own nonce on every script tag of a rendered page, and a fresh one on each response", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/track`);
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(scriptSrc(res.headers.get('content-security-policy') ?? ''))?.[1];
      expect(nonce).toBeTruthy();
      const html = await res.text();
      const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, 'script tag nonce').toContain(`nonce="${nonce}"`);
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it.each([`/reports/${SLUG}`, '/', `/reports/${SLUG}/sections/1/replies`])('lets the cached page %s run exactly its own inline scripts, by hash', async (path) => {
    const res = await fetch(server.url + path);
    const allowed = scriptSrc(res.headers.get('content-security-policy') ?? '');
    expect(allowed).not.toMatch(/'nonce-/);
    const html = await res.text();
    const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).filter(Boolean);
    expect(inline.length).toBeGreaterThan(0);
    const hashes = inline.map((text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    expect(allowed.split(' ').filter((x) => x.startsWith("'sha256-")).sort()).toEqual([...new Set(hashes)].sort());
  });

  it('gives every answer of the cached report page each header once: first render, repeats, every encoding, HEAD and 304', async () => {
    // node:http, not fetch: the raw header list shows a header sent twice,
    // and Accept-Encoding is exactly what the test says.
    const get = (method: string, headers: Record<string, string>) =>
      new Promise<{ status: number; raw: string[] }>((resolve, reject) => {
        const req = http.request(`${limited.url}/reports/${SLUG}`, { method, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, raw: res.rawHeaders }));
        });
        req.on('error', reject);
        req.end();
      });
    const once = [
      'content-security-policy',
      'x-content-type-options',
      'referrer-policy',
      'x-frame-options',
      'permissions-policy',
      'cache-control',
      'etag',
      'content-type',
    ];
    let etag = '';
    const answers: Array<[string, { status: number; raw: string[] }]> = [];
    for (const [label, method, accept] of [
      ['first (rendered)', 'GET', 'gzip, deflate, br'],
      ['br (cached)', 'GET', 'gzip, deflate, br'],
      ['gzip (cached)', 'GET', 'gzip'],
      ['identity (cached)', 'GET', 'identity'],
      ['HEAD (cached)', 'HEAD', 'br'],
    ]) {
      const answer = await get(method, { 'accept-encoding': accept });
      answers.push([label, answer]);
      etag ||= answer.raw[answer.raw.findIndex((_, i) => i % 2 === 0 && answer.raw[i].toLowerCase() === 'etag') + 1];
    }
    answers.push(['304 (cached)', await get('GET', { 'if-none-match': etag })]);
    for (const [label, { status, raw }] of answers) {
      expect(status, label).toBe(label.startsWith('304') ? 304 : 200);
      const names = raw.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
      const value = (name: string) => raw[names.indexOf(name) * 2 + 1];
      for (const name of once) expect(names.filter((n) => n === name), `${label}: ${name}`).toHaveLength(1);
      // The same bytes for everyone: no opener policy to cut it off from other sites' windows (decision 015).
      expect(names, label).not.toContain('cross-origin-opener-policy');
      expect(scriptSrc(value('content-security-policy')), label).toMatch(/^'self'( 'sha256-[A-Za-z0-9+/=]+')+$/);
      expect(value('x-frame-options'), label).toBe('DENY');
      expect(value('cache-control'), label).toBe('private, no-cache');
      expect(value('etag'), label).toBe(etag);
      if (!label.startsWith('304')) expect(value('vary'), label).toBe('Accept-Encoding, Accept-Language, Cookie');
    }
    const encodingOf = (label: string) => {
      const raw = answers.find(([l]) => l === label)![1].raw;
      const i = raw.findIndex((n, j) => j % 2 === 0 && n.toLowerCase() === 'content-encoding');
      return i === -1 ? null : raw[i + 1];
    };
    expect([encodingOf('br (cached)'), encodingOf('gzip (cached)'), encodingOf('identity (cached)')]).toEqual(['br', 'gzip', null]);
  });

  it('serves build assets as immutable for a year, and other static files briefly', async () => {
    const html = await (await fetch(`${server.url}/reports/${SLUG}`)).text();
    const assets = [...html.matchAll(/(?:src|href)="(\/build\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of assets) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      expectSecurityHeaders(res, path);
    }
    const favicon = await fetch(`${server.url}/favicon.png`);
    expect(favicon.headers.get('cache-control') ?? '').not.toContain('immutable');
  });

  it('sets the staff session cookie httpOnly and SameSite=Lax at sign-in', async () => {
    const user = await createTestUser(server.databasePath, 'staff');
    const res = await postForm(`${server.url}/staff/login`, { email: user.email, password: user.password });
    expect(res.status).toBe(302);
    expectSecurityHeaders(res, 'sign-in redirect');
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie, cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie, cookie).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie, cookie).toMatch(/;\s*Path=\//i);
    }
  });
});

describe('when PUBLIC_URL is https', () => {
  it('sends HSTS on every kind of response, and never over an http PUBLIC_URL', async () => {
    const answers = [
      await fetch(`${secure.url}/reports/${SLUG}`),
      await fetch(`${secure.url}/staff/login`),
      await fetch(`${secure.url}/favicon.png`),
      await fetch(`${secure.url}/no-such-page`),
      await fetch(`${secure.url}/staff`, { redirect: 'manual' }),
    ];
    for (const res of answers) {
      await res.arrayBuffer();
      expect(res.headers.get('strict-transport-security'), res.url).toBe('max-age=31536000');
    }
    const plain = await fetch(`${server.url}/reports/${SLUG}`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });

  it('names the session cookie __Host-: Secure, Path=/, no Domain — and it signs in', async () => {
    const user = await createTestUser(secure.databasePath, 'staff');
    const res = await fetch(`${secure.url}/staff/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: HTTPS_URL },
      body: new URLSearchParams({ email: user.email, password: user.password }),
    });
    expect(res.status).toBe(302);
    const cookies = res.headers.getSetCookie();
    // The session, and the browser remembered for this account (server/known-device).
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(['__Host-ikenbako_device', '__Host-ikenbako_staff']);
    for (const c of cookies) {
      expect(c).toMatch(/;\s*Secure/i);
      expect(c).toMatch(/;\s*Path=\/(;|$)/i);
      expect(c).not.toMatch(/Domain=/i);
    }
    const cookie = cookies.find((c) => c.startsWith('__Host-ikenbako_staff='))!;
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).not.toMatch(/Domain=/i);
    const page = await fetch(`${secure.url}/staff`, { headers: { Cookie: cookie.split(';')[0] }, redirect: 'manual' });
    expect(page.status).toBe(200);
    // The plain name is not accepted in its place.
    const renamed = cookie.split(';')[0].replace('__Host-ikenbako_staff', '__ikenbako_staff');
    expect((await fetch(`${secure.url}/staff`, { headers: { Cookie: renamed }, redirect: 'manual' })).status).toBe(302);
  });
});
