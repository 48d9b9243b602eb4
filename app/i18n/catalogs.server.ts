// The catalogs of public/locales, read once, and a fixed `t` for any
// language and namespace. Kept apart from ./i18n.server (which knows requests,
// cookies and the signed-in member) so that code without a request — the
// notice parser, the CLI scripts, mail — can word a message from the catalogs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import { rememberTargetNames, toKanjiNumber } from '~/utils/format';
import { addFormatters, DEFAULT_LANGUAGE, i18nConfig, LANGUAGES, type Language } from './config';

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

export const catalogs = readCatalogs();
export const NAMESPACES: readonly string[] = catalogs.namespaces;

/** One instance holding every catalog; requests and mail use clones or fixed `t`s of it. */
export const base: i18n = i18next.createInstance();
void base.init({ ...i18nConfig, ns: catalogs.namespaces, resources: catalogs.resources, initImmediate: false });
addFormatters(base, toKanjiNumber);

/**
 * A `t` for one language, for server code outside React (loaders, actions,
 * mail, thrown Responses). Synchronous: the catalogs are already in memory.
 * `getT('en', 'mail')('ack.subject', { number })`.
 */
export function getT(lng: Language, ns: string | readonly string[] = i18nConfig.defaultNS): TFunction {
  const key = `${lng}\n${typeof ns === 'string' ? ns : ns.join(',')}`;
  let t = fixedTs.get(key);
  if (!t) {
    fixedTs.set(key, (t = rememberingPlainKeys(base.getFixedT(lng, ns as string | string[]))));
    rememberTargetNames(t);
  }
  return t;
}

/** One `t` per language and namespaces, made once. */
const fixedTs = new Map<string, TFunction>();

/** Enough for every key of the catalogs; a `t` asked for more (keys built from input) starts again. */
const REMEMBERED_MAX = 4_000;

/**
 * `t` remembering what it answered for a key asked without options: the
 * catalogs never change while the server runs, and i18next's lookup (key
 * splitting, namespace and fallback resolution, nesting and interpolation
 * passes) was ~9 % of an opinion thread's time, most of it mail labels asked
 * for again for every opinion. A call with options (interpolation, count,
 * context) is answered by i18next every time.
 */
function rememberingPlainKeys(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const answerOf = t as unknown as (...args: unknown[]) => unknown;
  const remembering = (key: unknown, ...rest: unknown[]) => {
    if (rest.length > 0 || typeof key !== 'string') return answerOf(key, ...rest);
    let text = plain.get(key);
    if (text === undefined) {
      const answer = answerOf(key);
      if (typeof answer !== 'string') return answer;
      if (plain.size >= REMEMBERED_MAX) plain.clear();
      plain.set(key, (text = answer));
    }
    return text;
  };
  // i18next's fixed `t` carries its language and namespaces; keep them.
  const { lng, ns, keyPrefix } = t as unknown as { lng: string; ns: string | string[]; keyPrefix?: string };
  return Object.assign(remembering, { lng, ns, keyPrefix }) as unknown as TFunction;
}
