// Every namespace in every language carries the same keys (plural forms as
// each language's rules need them), no empty value, and the same
// {{variables}} as Japanese: a key missing from one catalog fails here, not
// on a reader's screen.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, INTL_LOCALES, LANGUAGES } from '~/i18n/config';

const LOCALES = path.resolve(__dirname, '../../public/locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, value);
  return out;
}

function read(lng: string, ns: string): Map<string, unknown> {
  return flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lng, `${ns}.json`), 'utf8')));
}

function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]))].sort();
}

const namespaces = fs
  .readdirSync(path.join(LOCALES, DEFAULT_LANGUAGE))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('message catalogs', () => {
  it('have the same namespaces in every language', () => {
    expect(namespaces).toContain('common');
    expect(namespaces).toContain('staff');
    for (const lng of LANGUAGES) {
      const files = fs.readdirSync(path.join(LOCALES, lng)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
      expect(files.sort(), lng).toEqual([...namespaces].sort());
    }
  });

  for (const ns of namespaces) {
    it(`${ns}: every key in every language, none empty, same variables`, () => {
      const base = read(DEFAULT_LANGUAGE, ns);
      const baseKeys = new Set([...base.keys()].map((k) => k.replace(PLURAL, '')));
      for (const lng of LANGUAGES) {
        const catalog = read(lng, ns);
        const keys = new Set([...catalog.keys()].map((k) => k.replace(PLURAL, '')));
        expect([...keys].filter((k) => !baseKeys.has(k)), `${lng}/${ns}: keys Japanese lacks`).toEqual([]);
        expect([...baseKeys].filter((k) => !keys.has(k)), `${lng}/${ns}: missing keys`).toEqual([]);
        const categories = new Intl.PluralRules(INTL_LOCALES[lng]).resolvedOptions().pluralCategories;
        for (const [key, value] of catalog) {
          expect(typeof value, `${lng}/${ns}:${key}`).toBe('string');
          expect((value as string).trim(), `${lng}/${ns}:${key} is empty`).not.toBe('');
          const plain = key.replace(PLURAL, '');
          // A plural key needs each form this language's rules use.
          if (PLURAL.test(key)) {
            for (const c of categories) {
              if (c === 'zero' || c === 'two' || c === 'few' || c === 'many') continue;
              expect(catalog.has(`${plain}_${c}`), `${lng}/${ns}:${plain}_${c}`).toBe(true);
            }
          }
          const original = base.get(key) ?? base.get(`${plain}_other`);
          expect(variables(value as string), `${lng}/${ns}:${key} variables`).toEqual(variables(String(original)));
        }
      }
    });
  }
});

// Messages given by the models, the domain and the server code are keys with
// their namespace ('models:units.nameTaken', 'attachments:staff.pickAttachment',
// 'admin:validation.…'): each one written out in app/ must be in the catalogs.
describe('message keys written in the code', () => {
  const APP = path.resolve(__dirname, '../../app');
  const files = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
  const KEY = new RegExp(`['\`"]((?:${namespaces.join('|')}):[A-Za-z][\\w-]*(?:\\.[\\w-]+)+)['\`"]`, 'g');
  const used = new Map<string, string>();
  for (const file of files(APP)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(KEY)) used.set(m[1], path.relative(APP, file));
  }

  it('finds the models namespace keys', () => {
    expect(namespaces).toContain('models');
    expect([...used.keys()]).toContain('models:units.nameTaken');
    expect([...used.keys()].filter((k) => k.startsWith('models:')).length).toBeGreaterThan(60);
  });

  it('are each in the Japanese catalog of their namespace (plural forms count)', () => {
    const missing = [...used].filter(([key]) => {
      const [ns, rest] = key.split(':');
      const catalog = read(DEFAULT_LANGUAGE, ns);
      return !catalog.has(rest) && !catalog.has(`${rest}_other`);
    });
    expect(missing.map(([key, file]) => `${key} (${file})`)).toEqual([]);
  });

  it('include every parse problem the notice parser names by a computed key', () => {
    const parse = read(DEFAULT_LANGUAGE, 'models');
    for (const k of ['sectionSkipped', 'sectionOutOfOrder', 'itemSkipped', 'itemOutOfOrder', 'notUtf8Guess', 'notUtf8']) expect(parse.has(`parse.${k}`), k).toBe(true);
  });
});
