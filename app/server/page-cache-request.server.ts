import type { Language } from '~/i18n/config';

// Which cached answer of a public page a request asks for (page-cache.server.ts):
// a report's page, the list of reports at `/` (a surge's other way in), and a
// section's page of published replies (where every reply's email links).

const REPORT_RE = /^\/reports\/([a-z0-9][a-z0-9-]{0,63})(\/|\.data)?(?:\?(.*))?$/;
/** The list: `/`, and its loader data `/_root.data` (single fetch's name for the index route's). */
const LIST_RE = /^\/(_root\.data)?(?:\?(.*))?$/;
/** A section's replies, `/reports/:slug/sections/:n/replies` (n 0–999 as the route reads it), and its loader data. */
const REPLIES_RE = /^\/reports\/([a-z0-9][a-z0-9-]{0,63})\/sections\/(\d{1,3})\/replies(\.data)?(?:\?(.*))?$/;
/** A replies page's `?page=` as its loader accepts it; any other value is Remix's 404. */
const PAGE_RE = /^[1-9]\d{0,5}$/;

/**
 * The routes whose loader data a client-side navigation may ask of a cached
 * page's `.data` (single fetch's `_routes`), in the order Remix lists them:
 * each choice with the page's own is one cached answer. The last is the page's own.
 */
export const DATA_ROUTES = {
  report: ['root', 'routes/reports.$slug'],
  list: ['root', 'routes/_index'],
  replies: ['root', 'routes/reports.$slug_.sections.$n.replies'],
} as const;

export type PageKind = keyof typeof DATA_ROUTES;

/** `path` with those of `params` that are not null as its query. */
function withQuery(path: string, ...params: Array<string | null>): string {
  const query = params.filter((p) => p !== null).join('&');
  return query ? `${path}?${query}` : path;
}

/** A cacheable request before its language is known. */
export type CacheableRequest = {
  kind: PageKind;
  /** The report's; null for the list of reports. */
  slug: string | null;
  /**
   * The URL its language is read from: its page's path, with the first `lng`
   * if the query names one (it decides after the cookie, as in Remix); null
   * for the bare page, whose own URL is that.
   */
  languageUrl: string | null;
  /** What the renderer asks Remix for: the page's path, or its loader data's with a canonical `_routes`. */
  path: string;
};

/**
 * Whatever a link's query carries is the cached page: campaign tags, click
 * ids, what WeChat adds to a shared link, or a made-up parameter to get past
 * the cache (a page Remix renders for one reader costs more than a thousand
 * cached answers). Remix's own `index` and `_data` too: for a GET of these
 * routes the first renders the same page and the second (loader data before
 * single fetch, which this client never asks for) ran the loaders to answer
 * nothing; each was a way past the cache (18.6 and 76.6 answers a second).
 * The report and list routes read no query parameter but `lng` and single
 * fetch's `_routes`, the replies route `page` as well (the first, as its
 * loader reads it; `1` is the bare page): one they come to read must become
 * part of the key here. Null when the URL is not such a page's, its loader
 * data asked for leaves the page's own out (a small answer, Remix's), or its
 * `page` is one the loader refuses (Remix's 404).
 */
function parse(url: string): CacheableRequest | null {
  let kind: PageKind;
  let slug: string | null;
  let data: boolean;
  let query: string | undefined;
  let page: string;
  let m = REPORT_RE.exec(url);
  if (m) {
    kind = 'report';
    [, slug, , query] = m;
    data = m[2] === '.data';
    page = `/reports/${slug}`;
  } else if ((m = LIST_RE.exec(url))) {
    kind = 'list';
    slug = null;
    [, , query] = m;
    data = m[1] !== undefined;
    page = '/';
  } else if ((m = REPLIES_RE.exec(url))) {
    kind = 'replies';
    [, slug, , , query] = m;
    data = m[3] !== undefined;
    // `03` is section 3 to the loader: one answer.
    page = `/reports/${slug}/sections/${Number(m[2])}/replies`;
  } else return null;
  let lng: string | null = null;
  /** Single fetch's `_routes`, as Remix reads it: the first, a comma list of route ids (empty: none). */
  let routesAsked: string | null = null;
  let pageNumber: string | null = null;
  for (const [name, value] of new URLSearchParams(query ?? '')) {
    if (name === 'lng' && lng === null) lng = value;
    if (name === '_routes' && routesAsked === null) routesAsked = value;
    if (name === 'page' && pageNumber === null && kind === 'replies') pageNumber = value;
  }
  if (pageNumber !== null && !PAGE_RE.test(pageNumber)) return null;
  /** The replies page's own query: its page, when not the first. */
  const pageQuery = pageNumber !== null && pageNumber !== '1' ? `page=${pageNumber}` : null;
  const routeIds: readonly string[] = DATA_ROUTES[kind];
  let routes: string | null = null;
  if (data && routesAsked !== null) {
    const asked = new Set(routesAsked.split(','));
    // Without the page's own loader the answer is small, and Remix's.
    if (!asked.has(routeIds[routeIds.length - 1])) return null;
    // Ids of other routes match nothing here; every route is what no `_routes` asks for.
    const kept = routeIds.filter((id) => asked.has(id));
    routes = kept.length === routeIds.length ? null : kept.join(',');
  }
  const dataPath = kind === 'list' ? '/_root.data' : `${page}.data`;
  return {
    kind,
    slug,
    // The bare page's own URL is its language's (one look-up less per read).
    languageUrl: query === undefined && !data ? null : lng === null ? page : `${page}?lng=${encodeURIComponent(lng)}`,
    path: data ? withQuery(dataPath, pageQuery, routes === null ? null : `_routes=${encodeURIComponent(routes)}`) : withQuery(page, pageQuery),
  };
}

/** URLs read, and what each asks for: a surge sends a handful, so a read is one look-up. */
const parsed = new Map<string, CacheableRequest | null>();
const PARSED_MAX = 1_000;

/** What a GET of `url` asks of the page cache, or null when it is not for it. */
export function cacheableRequest(url: string): CacheableRequest | null {
  if (!url.startsWith('/reports/') && url !== '/' && !url.startsWith('/?') && !url.startsWith('/_root.data')) return null;
  let asks = parsed.get(url);
  if (asks === undefined) {
    if (parsed.size >= PARSED_MAX) parsed.clear();
    parsed.set(url, (asks = parse(url)));
  }
  return asks;
}

/** One cached answer: a report's page, the list's, a section's replies, or its loader data (`path`), in one language. */
export type Page = { key: string; kind: PageKind; slug: string | null; lng: Language; path: string };

/** The same object for the same answer, so that a read builds no key. */
const pages = new Map<string, Map<Language, Page>>();

/** Which cached answer a request gets: one per render path (the page, or its loader data for one choice of routes) and language. */
export function pageFor({ kind, slug, path }: CacheableRequest, lng: Language): Page {
  let byLanguage = pages.get(path);
  if (!byLanguage) {
    // Unknown slugs make paths too: kept bounded, as the URLs are.
    if (pages.size >= PARSED_MAX) pages.clear();
    pages.set(path, (byLanguage = new Map()));
  }
  let page = byLanguage.get(lng);
  if (!page) byLanguage.set(lng, (page = { key: `${lng}:${path}`, kind, slug, lng, path }));
  return page;
}
