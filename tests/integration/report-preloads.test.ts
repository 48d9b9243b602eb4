// The cached report page asks for its scripts at low priority and runs them
// after the first paint (decision 017): every module Remix preloads is still
// named, so hydration needs no extra round trip, but the HTML and the style
// sheet go first on a slow line and the text is painted before React starts.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hydrateAfterFirstPaint } from '~/server/page-cache.server';
import { startTestServer, type TestServer } from '../helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('the report page\'s scripts', () => {
  it('are preloaded at low priority, and each preload names a script the server has', async () => {
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

  it('start hydrating after the first paint: the module script imports the route modules dynamically, after a frame', async () => {
    const html = await (await fetch(`${server.url}/reports/xiuzhou-inspection-2023`)).text();
    const script = /<script[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/.exec(html)![1];
    expect(script.startsWith('await new Promise((r) => (document.hidden ? r() : requestAnimationFrame(')).toBe(true);
    expect(script).not.toMatch(/^\s*import\s*[\w*{"']/m);
    expect(script).toMatch(/const route0 = await import\("\/build\/root-[^"]+\.js"\);/);
    expect(script).toMatch(/const route1 = await import\("\/build\/routes\/reports\.\$slug-[^"]+\.js"\);/);
    expect(script).toContain('window.__remixRouteModules = {"root":route0,"routes/reports.$slug":route1};');
    // The policy names the script as changed, not as Remix wrote it.
    const res = await fetch(`${server.url}/reports/xiuzhou-inspection-2023`);
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    expect(res.headers.get('content-security-policy')).toContain(`'sha256-${hash}'`);
  });

  it('leaves a module script of another shape alone', () => {
    // A static import we would not rewrite would still run before the first paint.
    const page = '<script type="module" async="">\nimport "/build/x.js";\nimport * as route0 from "/build/root.js";\n</script>';
    expect(hydrateAfterFirstPaint(page)).toEqual({ html: page, changed: false });
    const none = '<p>no scripts</p>';
    expect(hydrateAfterFirstPaint(none)).toEqual({ html: none, changed: false });
  });

  it('leaves a page Remix renders per request as Remix wrote it', async () => {
    const html = await (await fetch(`${server.url}/track`)).text();
    const links = html.match(/<link rel="modulepreload"[^>]*>/g) ?? [];
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link).not.toContain('fetchpriority');
  });
});
