// The server's side of i18next: the catalogs read once from public/locales,
// the reader's language (cookie `lng`, then ?lng=, then Accept-Language, then
// ja), and a `t` for code that is not a component (loaders, actions, mail).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cookie } from '@remix-run/node';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { RemixI18Next } from 'remix-i18next/server';
import { getUserLanguage } from '~/models/user-language.server';
import { getDb } from '~/server/db.server';
import { getUser } from '~/server/session.server';
import { toKanjiNumber } from '~/utils/format';
import { addFormatters, DEFAULT_LANGUAGE, i18nConfig, isLanguage, LANGUAGE_COOKIE, LANGUAGES, type Language } from './config';

/** public/locales, found from this module whether it runs from app/ (tsx, vitest) or build/ (the server). */
function localesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'public', 'locales');
    if (fs.existsSync(path.join(candidate, DEFAULT_LANGUAGE))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('public/locales not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Every catalog of every language: { ja: { common: {...}, reports: {...} }, … }. */
function readCatalogs(): { resources: Resource; namespaces: string[] } {
  const root = localesDir();
  const namespaces = fs
    .readdirSync(path.join(root, DEFAULT_LANGUAGE))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const resources: Resource = {};
  for (const lng of LANGUAGES) {
    resources[lng] = {};
    for (const ns of namespaces) {
      const file = path.join(root, lng, `${ns}.json`);
      resources[lng][ns] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    }
  }
  return { resources, namespaces };
}

const catalogs = readCatalogs();
export const NAMESPACES: readonly string[] = catalogs.namespaces;

/** One instance holding every catalog; requests and mail use clones or fixed `t`s of it. */
const base: i18n = i18next.createInstance();
void base.init({ ...i18nConfig, ns: catalogs.namespaces, resources: catalogs.resources, initImmediate: false });
addFormatters(base, toKanjiNumber);

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

/**
 * A `t` for one language, for server code outside React (loaders, actions,
 * mail, thrown Responses). Synchronous: the catalogs are already in memory.
 * `getT('en', 'mail')('ack.subject', { number })`.
 */
export function getT(lng: Language, ns: string | readonly string[] = i18nConfig.defaultNS): TFunction {
  return base.getFixedT(lng, ns as string | string[]);
}

/** The same for a Node request that never reaches Remix (the page cache, the body limit). */
export function getNodeRequestLanguage(req: { url?: string; headers: Record<string, string | string[] | undefined> }): Promise<Language> {
  const headers = new Headers();
  const cookie = req.headers.cookie;
  const acceptLanguage = req.headers['accept-language'];
  if (typeof cookie === 'string') headers.set('cookie', cookie);
  if (typeof acceptLanguage === 'string') headers.set('accept-language', acceptLanguage);
  return getLanguage(new Request(`http://localhost${req.url?.startsWith('/') ? req.url : '/'}`, { headers }));
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
