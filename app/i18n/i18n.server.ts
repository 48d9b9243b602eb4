// The server's side of i18next: the catalogs read once from public/locales,
// the reader's language (cookie `lng`, then ?lng=, then Accept-Language, then
// ja), and a `t` for code that is not a component (loaders, actions, mail).
import type { Cookie } from '@remix-run/node';
import type { i18n, TFunction } from 'i18next';
import { RemixI18Next } from 'remix-i18next/server';
import { getUserLanguage } from '~/models/user-language.server';
import { getDb } from '~/server/db.server';
import { getUser } from '~/server/session.server';
import { base, catalogs, getT } from './catalogs.server';
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage, LANGUAGE_COOKIE, LANGUAGES, type Language } from './config';

export { getT, NAMESPACES } from './catalogs.server';

/**
 * The reader's choice, as a plain value (not Remix's base64 JSON encoding), so
 * that `lng=zh-Hans` is what the browser stores and what a person can set.
 */
const languageCookie: Cookie = {
  name: LANGUAGE_COOKIE,
  isSigned: false,
  expires: undefined,
  async parse(header) {
    const m = header ? new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=([^;]*)`).exec(header) : null;
    return m ? decodeURIComponent(m[1]) : null;
  },
  async serialize(value: string) {
    return serializeLanguageCookie(value as Language);
  },
};

/** A year, site-wide; Lax so that following a link from elsewhere keeps the choice. */
export function serializeLanguageCookie(lng: Language): string {
  return `${LANGUAGE_COOKIE}=${lng}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    order: ['cookie', 'searchParams', 'header'],
  },
  i18next: { ...i18nConfig, ns: catalogs.namespaces, resources: catalogs.resources },
});

/**
 * On staff pages, the signed-in member's stored language (/staff/account)
 * outranks the cookie; null when they follow the browser or nobody is signed in.
 */
async function staffLanguagePreference(request: Request): Promise<Language | null> {
  if (!/^\/staff(?:\/|$)/.test(new URL(request.url).pathname)) return null;
  const user = await getUser(request);
  return user ? getUserLanguage(getDb(), user.id) : null;
}

/** The language of this request's page. */
export async function getLanguage(request: Request): Promise<Language> {
  const preferred = await staffLanguagePreference(request);
  if (preferred) return preferred;
  const lng = await i18nServer.getLocale(request);
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
}

const LANGUAGE_COOKIE_RE = new RegExp(`(?:^|;\\s*)${LANGUAGE_COOKIE}=[^;]*`);
/** Answers already worked out, by what decides them: the report page's readers send a handful of combinations. */
const nodeLanguages = new Map<string, { answer: Promise<Language>; value?: Language }>();
const NODE_LANGUAGES_MAX = 1_000;

/** What the language of a request that never reaches Remix is worked out from. */
export type NodeRequest = { url?: string; headers: Record<string, string | string[] | undefined> };

function nodeRequestParts(req: NodeRequest) {
  const url = req.url?.startsWith('/') ? req.url : '/';
  const cookie = typeof req.headers.cookie === 'string' ? req.headers.cookie : '';
  const acceptLanguage = typeof req.headers['accept-language'] === 'string' ? req.headers['accept-language'] : '';
  // A staff page may follow the signed-in member's stored language: their session decides (no key).
  if (/^\/staff(?:[/?#]|$)/.test(url)) return { url, cookie, acceptLanguage, key: null };
  const lngCookie = LANGUAGE_COOKIE_RE.exec(cookie)?.[0].replace(/^;\s*/, '') ?? '';
  return { url, cookie: lngCookie, acceptLanguage, key: `${url}\n${lngCookie}\n${acceptLanguage}` };
}

/**
 * The same for a Node request that never reaches Remix (the page cache, the
 * body limit). Outside /staff the answer depends only on the path and query,
 * the `lng` cookie and Accept-Language, so it is worked out once per
 * combination (building a Fetch Request for every read of the report page
 * cost more than serving it).
 */
export function getNodeRequestLanguage(req: NodeRequest): Promise<Language> {
  const { url, cookie, acceptLanguage, key } = nodeRequestParts(req);
  const resolve = () => {
    const headers = new Headers();
    if (cookie) headers.set('cookie', cookie);
    if (acceptLanguage) headers.set('accept-language', acceptLanguage);
    return getLanguage(new Request(`http://localhost${url}`, { headers }));
  };
  if (key === null) return resolve();
  let known = nodeLanguages.get(key);
  if (!known) {
    if (nodeLanguages.size >= NODE_LANGUAGES_MAX) nodeLanguages.clear();
    const entry: { answer: Promise<Language>; value?: Language } = { answer: resolve() };
    known = entry;
    nodeLanguages.set(key, entry);
    entry.answer.then(
      (value) => (entry.value = value),
      () => nodeLanguages.delete(key),
    );
  }
  return known.answer;
}

/** The answer getNodeRequestLanguage has already worked out for this request, without waiting; undefined if none yet. */
export function knownNodeRequestLanguage(req: NodeRequest): Language | undefined {
  const { key } = nodeRequestParts(req);
  return key === null ? undefined : nodeLanguages.get(key)?.value;
}

/** The request's language and a `t` for it. */
export async function getRequestT(request: Request, ns?: string | readonly string[]): Promise<{ lng: Language; t: TFunction }> {
  const lng = await getLanguage(request);
  return { lng, t: getT(lng, ns) };
}

/** A per-request instance for react-i18next's provider during server rendering (shares the catalogs). */
export function createRequestInstance(lng: Language): i18n {
  return base.cloneInstance({ lng, initImmediate: false });
}
