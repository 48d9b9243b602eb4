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
 * for again for every opinion. A key asked with plain values (strings and
 * numbers under names i18next does not read itself) is answered from the
 * text i18next gave for it with stand-ins for the values (`placeholderText`),
 * once it has given the same answer for real values; counts, contexts,
 * formatted values and every other option reach i18next every time.
 */
function rememberingPlainKeys(t: TFunction): TFunction {
  const plain = new Map<string, string>();
  const filled = new Map<string, FilledText | null>();
  const answerOf = t as unknown as (...args: unknown[]) => unknown;
  const remembering = (key: unknown, ...rest: unknown[]) => {
    if (typeof key !== 'string') return answerOf(key, ...rest);
    if (rest.length > 0) {
      const values = rest.length === 1 ? plainValues(rest[0]) : null;
      if (!values) return answerOf(key, ...rest);
      const textKey = `${key}\n${values.names}`;
      let text = filled.get(textKey);
      if (text === undefined) {
        const answer = answerOf(key, rest[0]);
        text = placeholderText(answerOf, key, values.names);
        // Kept only when it gives i18next's own answer for these values too.
        if (text && fill(text, values.values) !== answer) text = null;
        if (filled.size >= REMEMBERED_MAX) filled.clear();
        filled.set(textKey, text);
        return answer;
      }
      return text ? fill(text, values.values) : answerOf(key, rest[0]);
    }
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

/** A text with its values taken out: literal, value index, literal, … (even places literals). */
type FilledText = ReadonlyArray<string | number>;

/** Option names i18next reads itself (plurals, context, fallbacks, formatting; and every defaultValue…): never answered from a remembered text. */
const I18NEXT_OPTIONS = new Set([
  'count',
  'context',
  'ordinal',
  'defaultValue',
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'keyPrefix',
  'nsSeparator',
  'keySeparator',
  'returnObjects',
  'returnDetails',
  'returnNull',
  'returnEmptyString',
  'joinArrays',
  'postProcess',
  'interpolation',
  'replace',
  'skipInterpolation',
  'formatParams',
  'appendNamespaceToMissingKey',
  'appendNamespaceToCIMode',
  'ignoreJSONStructure',
]);

/** The options of a call as names (sorted, joined) and values in that order, when every value is a plain string or number. */
function plainValues(options: unknown): { names: string; values: ReadonlyArray<string | number> } | null {
  if (!options || typeof options !== 'object' || Array.isArray(options)) return null;
  const names = Object.keys(options).sort();
  const values: Array<string | number> = [];
  for (const name of names) {
    if (I18NEXT_OPTIONS.has(name) || name.startsWith('defaultValue')) return null;
    const value = (options as Record<string, unknown>)[name];
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) values.push(value);
    else return null;
  }
  return { names: names.join(','), values };
}

/** Characters no catalog holds: a value's stand-in is U+E000, its index, U+E001. */
const STAND_IN = /\uE000(\d+)\uE001/g;

/**
 * The text i18next gives for `key` with a stand-in for each value, cut at the
 * stand-ins; null when a stand-in did not come through whole (formatted,
 * counted, nested), a value is not shown at all, or the answer is not a string.
 */
function placeholderText(answerOf: (...args: unknown[]) => unknown, key: string, names: string): FilledText | null {
  const options: Record<string, string> = {};
  names.split(',').forEach((name, i) => (options[name] = `\uE000${i}\uE001`));
  const answer = answerOf(key, options);
  if (typeof answer !== 'string') return null;
  const parts: Array<string | number> = [];
  let last = 0;
  for (const m of answer.matchAll(STAND_IN)) {
    parts.push(answer.slice(last, m.index), Number(m[1]));
    last = m.index! + m[0].length;
  }
  parts.push(answer.slice(last));
  for (let i = 0; i < parts.length; i += 2) if (/[\uE000\uE001]/.test(parts[i] as string)) return null;
  // A value i18next formatted (a number format) or read (a nested plural) is not in the text as given.
  const shown = new Set(parts.filter((_, i) => i % 2 === 1));
  if (shown.size !== Object.keys(options).length) return null;
  return parts;
}

function fill(text: FilledText, values: ReadonlyArray<string | number>): string {
  let out = text[0] as string;
  for (let i = 1; i < text.length; i += 2) out += String(values[text[i] as number]) + (text[i + 1] as string);
  return out;
}
