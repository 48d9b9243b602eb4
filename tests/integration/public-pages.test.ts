import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

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

  it('sets the security headers on pages and static files', async () => {
    for (const path of ['/', '/favicon.svg', '/healthz', '/nope']) {
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
