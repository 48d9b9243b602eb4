import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import type { ContentVersion } from '~/models/content-version.server';
import { getEnv } from '~/utils/env.server';
import { getNodeRequestLanguage, knownNodeRequestLanguage, type NodeRequest } from '~/i18n/i18n.server';
import { cacheableRequest, pageFor, type Page } from './page-cache-request.server';
import { contentVersion, knownVersion } from './page-version.server';
import { contentSecurityPolicy } from './security-headers.server';
import { log } from './request-log.server';
import { cacheRenderer, renderElsewhereOrHere } from './cache-renderer.server';
import { countedViews, flushedSince, viewsSnapshot } from './view-counter.server';
import { send } from './page-cache-send.server';

/**
 * The report page is the one page a surge of readers hits (decision 015), the
 * list of reports at `/` its other way in, and a section's page of replies
 * the one every reply's email links to. Each is rendered once per
 * content version and page key, compressed once, and the same bytes are sent
 * to everyone: no per-response nonce (the CSP names the
 * hashes of the page's inline scripts), no per-response form token, and the
 * view and opinion counts as of the render. Those counts are refreshed at most
 * every TALLY_REFRESH_MS, in the background, while the last render is served.
 * The page's loader data, which a client-side navigation fetches instead of
 * the page (`.data`), is kept the same way: rendered per request it cost as
 * much as the page (~70 answers a second), and anyone could ask for it.
 * Which answer a request asks for is page-cache-request.server.ts's; how it
 * goes out (headers, encoding, 304), page-cache-send.server.ts's.
 */

/** How stale the page's counts of views and opinions may get. */
export const TALLY_REFRESH_MS = 30_000;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

export type Entry = {
  version: ContentVersion;
  renderedAt: number;
  /** Views this process had counted for the report when it was rendered. */
  viewsCounted: number;
  /** Its view count may be wrong (views were written during the render): render again at once. */
  recount: boolean;
  /** The report whose page this is; null for the list and a section's replies, which count nothing. */
  reportId: number | null;
  etag: string;
  headers: Array<[string, string]>;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
};

const entries = new Map<string, Entry>();
const rendering = new Map<string, Promise<Entry | null>>();
/**
 * Pages whose render answered 404 (an unknown report, a section or a page of
 * replies that does not exist), by key, with the content version it was for:
 * until that changes, such a request goes straight to Remix, which renders
 * its 404 page, rather than being rendered twice, once for a cache that
 * cannot keep it. Only a 404: a 503 or a failed render is tried again by the
 * next read, so that a moment's trouble never leaves a page uncached.
 */
const notFound = new Map<string, string>();
const NOT_FOUND_MAX = 1_000;
const INLINE_SCRIPT_RE = /<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g;

/** CSP source expressions for every inline script of a page (the text between the tags, as the browser hashes it). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(INLINE_SCRIPT_RE)) {
    if (m[1]) hashes.add(`'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

const handlers = new WeakMap<ServerBuild, ReturnType<typeof createRequestHandler>>();

/** One Remix request handler per build, made on the first render rather than on every one. */
function handlerFor(build: ServerBuild) {
  let handler = handlers.get(build);
  if (!handler) handlers.set(build, (handler = createRequestHandler(build, 'production')));
  return handler;
}

async function render(build: ServerBuild, { key, kind, slug, lng, path }: Page, version: ContentVersion): Promise<Entry | null> {
  const url = `${getEnv().PUBLIC_URL}${path}`;
  const requestHeaders: Array<[string, string]> = [
    ['accept', 'text/html'],
    ['user-agent', 'ikenbako-page-cache'],
    ['cookie', `lng=${lng}`],
  ];
  const here = () => handlerFor(build)(new Request(url, { headers: requestHeaders }), { cspNonce: '', clientIp: '127.0.0.1', renderForCache: true });
  const renderedAt = Date.now();
  const views = viewsSnapshot();
  const to = cacheRenderer();
  const { response, on } = await renderElsewhereOrHere(to && (() => to(url, requestHeaders, views.pending)), here);
  log('info', 'cached page rendered', { slug, lng, path, on, status: response.status, ms: Date.now() - renderedAt });
  if (response.status === 404) {
    if (notFound.size >= NOT_FOUND_MAX) notFound.clear();
    notFound.set(key, version.content);
  }
  if (response.status !== 200) return null;
  // The page says which it is, rendered for the cache (a build without its
  // route renders the root alone, with a 200); a report's names its id, whose
  // views it counts.
  if (response.headers.get('x-cached-page') !== kind) return null;
  const reportId = kind === 'report' ? Number(response.headers.get('x-report-id')) : null;
  if (reportId === 0) return null;
  const viewsCounted = reportId === null ? 0 : (views.counted.get(reportId) ?? 0);
  // The pending views were written while the page read the stored count: it
  // may show them twice. It is served, and rendered again at the next read.
  const recount = reportId !== null && flushedSince(views);
  const html = await response.text();
  const identity = Buffer.from(html);
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    if (!name.startsWith('x-report-') && name !== 'x-cached-page' && name !== 'content-length') headers.push([name, value]);
  });
  headers.push(['Content-Security-Policy', contentSecurityPolicy(inlineScriptHashes(html))]);
  // Once per render, in the thread pool. Brotli 5 is within 10 % of 11's size
  // (18.8 against 17.0 KB for the 134 KB page) for a tenth of the CPU (30 ms
  // against 300), which a 2-core machine pays every TALLY_REFRESH_MS.
  const [gz, br] = await Promise.all([
    gzip(identity, { level: 6 }),
    brotli(identity, {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  return {
    version,
    renderedAt,
    viewsCounted,
    recount,
    reportId,
    etag: `W/"r${crypto.createHash('sha1').update(identity).digest('base64url').slice(0, 20)}"`,
    headers,
    identity,
    gzip: gz,
    br,
  };
}

function renderOnce(build: ServerBuild, page: Page, version: ContentVersion): Promise<Entry | null> {
  const id = `${page.key}@${version.content}@${version.tally}`;
  let pending = rendering.get(id);
  if (!pending) {
    pending = render(build, page, version)
      .then((entry) => {
        const current = entries.get(page.key);
        // A slower render of an older version never replaces a newer one.
        if (entry && (!current || current.renderedAt <= entry.renderedAt)) entries.set(page.key, entry);
        else if (!entry) entries.delete(page.key);
        return entry;
      })
      .finally(() => rendering.delete(id));
    rendering.set(id, pending);
  }
  return pending;
}

/** True when the page's counts are due for a refresh (rendered in the background meanwhile). */
function talliesStale(entry: Entry, version: ContentVersion, now: number): boolean {
  if (entry.reportId === null) return false;
  if (entry.recount) return true;
  if (now - entry.renderedAt < TALLY_REFRESH_MS) return false;
  return entry.version.tally !== version.tally || countedViews(entry.reportId) !== entry.viewsCounted;
}

/** The cached page when it is current for this version (a stale count starts a render in the background). */
function currentEntry(build: ServerBuild, page: Page, version: ContentVersion): Entry | undefined {
  const cached = entries.get(page.key);
  if (cached?.version.content !== version.content) return undefined;
  if (talliesStale(cached, version, Date.now())) {
    renderOnce(build, page, version).catch((error) => console.error('cached page render failed', error));
  }
  return cached;
}

async function getEntry(build: ServerBuild, page: Page): Promise<Entry | null> {
  const version = await contentVersion();
  if (notFound.get(page.key) === version.content) return null;
  return currentEntry(build, page, version) ?? renderOnce(build, page, version);
}

/**
 * Serves GET/HEAD /reports/:slug, the list at `/` and a section's replies
 * (`/reports/:slug/sections/:n/replies`, per `?page=`), whatever else their
 * query holds, and their loader data (`.data`, `/_root.data`: a client-side
 * navigation's; page-cache-request.server.ts) from the cache, with the server's `shared`
 * headers (nothing may have been set on `res` before). Returns false when the
 * request is not for a cacheable page (the caller hands it to Remix):
 * at once, or through the promise when the language, the content version or
 * the page had to be worked out first. A read of a page already cached, whose
 * language and version are known, is answered synchronously (true).
 */
export function serveCachedPage(
  build: ServerBuild,
  req: IncomingMessage,
  res: ServerResponse,
  shared: ReadonlyArray<readonly [string, string]>,
  closing: boolean,
): boolean | Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const asks = cacheableRequest(req.url ?? '');
  if (!asks) return false;
  // The language is worked out from the path and `lng` alone, so that a
  // thousand click ids are one answer of the detector, not a thousand.
  const asked: NodeRequest = asks.languageUrl === null ? req : { url: asks.languageUrl, headers: req.headers };
  const lng = knownNodeRequestLanguage(asked);
  const version = knownVersion();
  if (lng && version) {
    const page = pageFor(asks, lng);
    const entry = currentEntry(build, page, version);
    if (entry) {
      send(entry, req, res, shared, closing);
      return true;
    }
    // Only a page without an entry can be a remembered 404: the cached reads pay no look-up for it.
    if (notFound.get(page.key) === version.content) return false;
  }
  return (async () => {
    const language = lng ?? (await getNodeRequestLanguage(asked));
    const entry = await getEntry(build, pageFor(asks, language));
    if (!entry) return false;
    send(entry, req, res, shared, closing);
    return true;
  })();
}
