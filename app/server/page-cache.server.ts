import crypto from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { getContentVersion } from '~/models/content-version.server';
import { getDb } from './db.server';
import { getEnv } from '~/utils/env.server';
import { getNodeRequestLanguage } from '~/i18n/i18n.server';
import type { Language } from '~/i18n/config';
import { countView, isHumanViewHeaders, viewSnapshot } from './view-counter.server';

/**
 * The report page is the one page a surge of readers hits. Rendering it with
 * React on every request costs ~10× what serving bytes costs, so it is rendered
 * once per content version and kept here. What must differ per response is left
 * as placeholders in the cached text and filled in on the way out:
 * the CSP nonce, each form's one-time token and the view count.
 */
// Random per process, so that no text a person wrote can contain one.
const SALT = crypto.randomBytes(8).toString('hex');
export const PLACEHOLDER = {
  nonce: `IKBNONCE${SALT}`,
  views: `IKBVIEWS${SALT}`,
  /** The page's form token; each form appends its section number. */
  token: `IKBTOKEN${SALT}`,
} as const;

const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);
const PLACEHOLDER_RE = new RegExp(`${PLACEHOLDER.nonce}|${PLACEHOLDER.views}|${PLACEHOLDER.token}`, 'g');
const PATH_RE = /^\/reports\/([a-z0-9][a-z0-9-]{0,63})\/?$/;
const VERSION_TTL_MS = 1_000;

type Entry = {
  version: string;
  etag: string;
  reportId: number;
  headers: Array<[string, string]>;
  /** The rendered page split around its placeholders. */
  parts: string[];
  /** The placeholder between parts[i] and parts[i + 1]. */
  holes: Array<'nonce' | 'views' | 'token'>;
  viewsAtRender: { stored: number; counted: number };
};

const entries = new Map<string, Entry>();
const rendering = new Map<string, Promise<Entry | null>>();
let versionCache: { value: Promise<string>; at: number } | undefined;

/**
 * The content version (see getContentVersion), read at most once a second and
 * shared by the requests that ask meanwhile, so a write by another process
 * (the import CLI) shows within a second.
 */
function contentVersion(): Promise<string> {
  const now = Date.now();
  if (versionCache && now - versionCache.at < VERSION_TTL_MS) return versionCache.value;
  const value = getContentVersion(getDb());
  const entry = { value, at: now };
  versionCache = entry;
  value.catch(() => {
    if (versionCache === entry) versionCache = undefined;
  });
  return value;
}

/** Called after a write that changes what the report page shows. */
export function invalidateReportPages(): void {
  versionCache = undefined;
}

function split(html: string): Pick<Entry, 'parts' | 'holes'> {
  const parts: string[] = [];
  const holes: Entry['holes'] = [];
  let last = 0;
  for (const m of html.matchAll(PLACEHOLDER_RE)) {
    parts.push(html.slice(last, m.index));
    holes.push(m[0] === PLACEHOLDER.nonce ? 'nonce' : m[0] === PLACEHOLDER.views ? 'views' : 'token');
    last = m.index! + m[0].length;
  }
  parts.push(html.slice(last));
  return { parts, holes };
}

const handlers = new WeakMap<ServerBuild, ReturnType<typeof createRequestHandler>>();

/** One Remix request handler per build, made on the first render rather than on every one. */
function handlerFor(build: ServerBuild) {
  let handler = handlers.get(build);
  if (!handler) handlers.set(build, (handler = createRequestHandler(build, 'production')));
  return handler;
}

async function render(build: ServerBuild, slug: string, lng: Language, version: string): Promise<Entry | null> {
  const handler = handlerFor(build);
  const request = new Request(`${getEnv().PUBLIC_URL}/reports/${slug}`, {
    headers: { accept: 'text/html', 'user-agent': 'ikenbako-page-cache', cookie: `lng=${lng}` },
  });
  const response = await handler(request, { cspNonce: PLACEHOLDER.nonce, clientIp: '127.0.0.1', renderForCache: true });
  if (response.status !== 200) return null;
  const html = await response.text();
  const reportId = Number(response.headers.get('x-report-id'));
  if (!reportId) return null;
  const headers: Array<[string, string]> = [];
  response.headers.forEach((value, name) => {
    if (!name.startsWith('x-report-') && name !== 'content-length') headers.push([name, value]);
  });
  return {
    version,
    etag: `W/"r${crypto.createHash('sha1').update(version + '\0' + html).digest('base64url').slice(0, 20)}"`,
    reportId,
    headers,
    ...split(html),
    viewsAtRender: viewSnapshot(reportId, Number(response.headers.get('x-report-views') ?? 0)),
  };
}

/** One entry per page and language (chosen by the request's cookie or Accept-Language; ?lng= pages are not cached). */
async function getEntry(build: ServerBuild, slug: string, lng: Language): Promise<Entry | null> {
  const version = await contentVersion();
  const page = `${slug}:${lng}`;
  const cached = entries.get(page);
  if (cached?.version === version) return cached;
  const key = `${page}@${version}`;
  let pending = rendering.get(key);
  if (!pending) {
    pending = render(build, slug, lng, version).finally(() => rendering.delete(key));
    rendering.set(key, pending);
  }
  const entry = await pending;
  if (entry) entries.set(page, entry);
  else entries.delete(page);
  return entry;
}

function fill(entry: Entry, nonce: string): string {
  const views = entry.viewsAtRender;
  const shown = views.stored + (viewSnapshot(entry.reportId, 0).counted - views.counted);
  const fills = { nonce, views: shown.toLocaleString('ja-JP'), token: crypto.randomBytes(16).toString('base64url') };
  let out = entry.parts[0];
  for (let i = 0; i < entry.holes.length; i++) out += fills[entry.holes[i]] + entry.parts[i + 1];
  return out;
}

/**
 * Serves GET/HEAD /reports/:slug from the cache. Returns false when the request
 * is not for a cacheable report page (the caller hands it to Remix).
 */
export async function serveCachedReport(
  build: ServerBuild,
  req: IncomingMessage,
  res: ServerResponse,
  nonce: string,
): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const m = PATH_RE.exec(req.url ?? '');
  if (!m) return false;
  const entry = await getEntry(build, m[1], await getNodeRequestLanguage(req));
  if (!entry) return false;

  if (isHumanViewHeaders(req.method, req.headers)) countView(entry.reportId);
  res.setHeader('ETag', entry.etag);
  // private: the page carries this response's form tokens, so no shared cache may keep it.
  res.setHeader('Cache-Control', 'private, no-cache');
  const inm = req.headers['if-none-match'];
  if (inm && inm.split(',').some((t) => t.trim() === entry.etag)) {
    // The browser keeps its copy, whose scripts carry the nonce of its own CSP
    // header; a new CSP header here would replace that one and block them.
    res.removeHeader('Content-Security-Policy');
    res.statusCode = 304;
    res.end();
    return true;
  }
  for (const [name, value] of entry.headers) res.setHeader(name, value);
  res.setHeader('Vary', 'Accept-Encoding, Accept-Language, Cookie');
  let body = Buffer.from(fill(entry, nonce));
  // Brotli's window reaches back to the notice text when the hydration data
  // repeats it at the end of the page; gzip's 32 KB window does not (≈19 KB vs 33 KB).
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) {
    body = await brotli(body, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
    });
    res.setHeader('Content-Encoding', 'br');
  } else if (/\bgzip\b/.test(accepted)) {
    body = await gzip(body, { level: 4 });
    res.setHeader('Content-Encoding', 'gzip');
  }
  res.setHeader('Content-Length', body.length);
  res.statusCode = 200;
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}
