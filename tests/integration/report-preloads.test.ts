// The cached report page asks for its scripts at low priority (decision 017):
// every module Remix preloads is still named, so hydration needs no extra
// round trip, but the HTML and the style sheet go first on a slow line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('the report page\'s module preloads', () => {
  it('are all low priority, and each names a script the server has', async () => {
    const html = await (await fetch(`${server.url}/reports/xiuzhou-inspection-2023`)).text();
    const links = html.match(/<link rel="modulepreload"[^>]*>/g) ?? [];
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) expect(link).toContain('fetchpriority="low"');
    for (const link of links) {
      const href = /href="([^"]+)"/.exec(link)![1];
      const res = await fetch(server.url + href);
      expect(res.status, href).toBe(200);
      expect(res.headers.get('content-type'), href).toMatch(/javascript/);
    }
  });

  it('leaves a page Remix renders per request as Remix wrote it', async () => {
    const html = await (await fetch(`${server.url}/track`)).text();
    const links = html.match(/<link rel="modulepreload"[^>]*>/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).not.toContain('fetchpriority');
  });
});
