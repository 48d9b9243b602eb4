// getT's `t` remembers what it answered for a key asked without options
// (catalogs.server.ts). What it answers must be exactly i18next's answer, for
// every key of every catalog, asked once or again, without options or with
// values; counts and i18next's own options reach i18next every time.
import { describe, expect, it, vi } from 'vitest';
import { base, catalogs, getT } from '~/i18n/catalogs.server';
import { LANGUAGES } from '~/i18n/config';
import { formatTarget, type Target } from '~/utils/format';

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

describe('getT', () => {
  it('answers every key of every catalog as i18next does, the first time and again', () => {
    let asked = 0;
    for (const lng of LANGUAGES) {
      for (const ns of catalogs.namespaces) {
        const t = getT(lng, [ns, 'common']);
        const plain = base.getFixedT(lng, [ns, 'common']);
        for (const key of keys(catalogs.resources[lng][ns])) {
          const expected = plain(key);
          expect(t(key), `${lng} ${ns} ${key}`).toEqual(expected);
          expect(t(key), `${lng} ${ns} ${key}, again`).toEqual(expected);
          asked += 1;
        }
      }
    }
    expect(asked).toBeGreaterThan(500);
  });

  it('is made once per language and namespaces, and keeps them', () => {
    expect(getT('en', ['mail', 'common'])).toBe(getT('en', ['mail', 'common']));
    expect(getT('en', ['mail', 'common'])).not.toBe(getT('ja', ['mail', 'common']));
    expect((getT('zh-Hans', 'mail') as unknown as { lng: string }).lng).toBe('zh-Hans');
  });

  it('answers every key of every catalog asked with values as i18next does, for several values, the first time and again', () => {
    // Values a key's text asks for ({{name}}, {{- name}}, {{name, format}}),
    // given as text (with characters i18next could read as its own) and as
    // numbers, under their names and with a count where the key has plurals.
    const valueSets: Array<(name: string, i: number) => string | number> = [
      (name) => `「${name}」<b>&amp;</b> {{x}} $t(common:close)`,
      (_, i) => i,
      (_, i) => i + 1,
      (_, i) => 21 + i,
      () => 'XZ-2026-AAAA-AAAA',
      () => '',
    ];
    let asked = 0;
    for (const lng of LANGUAGES) {
      for (const ns of catalogs.namespaces) {
        const t = getT(lng, [ns, 'common']);
        const plain = base.getFixedT(lng, [ns, 'common']);
        const resources = catalogs.resources[lng][ns];
        const texts = new Map<string, string>();
        for (const key of keys(resources)) {
          const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], resources);
          if (typeof value !== 'string') continue;
          const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
          texts.set(base, (texts.get(base) ?? '') + value);
        }
        for (const [key, text] of texts) {
          const names = [...new Set([...text.matchAll(/\{\{-?\s*([A-Za-z_][\w]*)/g)].map((m) => m[1]))];
          if (names.length === 0) continue;
          for (const valueOf of valueSets) {
            const options = Object.fromEntries(names.map((name, i) => [name, valueOf(name, i)]));
            const expected = plain(key, options);
            expect(t(key, options), `${lng} ${ns} ${key} ${JSON.stringify(options)}`).toEqual(expected);
            expect(t(key, { ...options }), `${lng} ${ns} ${key} ${JSON.stringify(options)}, again`).toEqual(expected);
            asked += 1;
          }
        }
      }
    }
    expect(asked).toBeGreaterThan(1_000);
  });

  it('gives each call its own values, and leaves counts and other options to i18next', () => {
    const t = getT('en', 'mail');
    const first = t('ack.subject', { number: 'XZ-2026-AAAA-AAAA' });
    const second = t('ack.subject', { number: 'XZ-2026-BBBB-BBBB' });
    expect(first).toBe(base.getFixedT('en', 'mail')('ack.subject', { number: 'XZ-2026-AAAA-AAAA' }));
    expect(second).toBe(base.getFixedT('en', 'mail')('ack.subject', { number: 'XZ-2026-BBBB-BBBB' }));
    expect(second).not.toBe(first);
    // …the later ones from the remembered text, without i18next's lookup.
    // i18next's instance has its translator at run time; its types do not declare it.
    const translate = vi.spyOn(
      (base as unknown as { translator: { translate: (...args: unknown[]) => unknown } }).translator,
      'translate',
    );
    try {
      expect(t('ack.subject', { number: 'XZ-2026-CCCC-CCCC' })).toContain('XZ-2026-CCCC-CCCC');
      expect(translate).not.toHaveBeenCalled();
      // A count is read by i18next every time.
      getT('en', 'common')('no.such.key', { count: 2 });
      expect(translate).toHaveBeenCalled();
    } finally {
      translate.mockRestore();
    }
    // Asked without options, the same key is the catalog's text with its placeholder.
    expect(t('ack.subject')).toBe(base.getFixedT('en', 'mail')('ack.subject'));
    // A count chooses the plural form each time.
    const c = getT('en', 'common');
    const plainC = base.getFixedT('en', 'common');
    for (const key of keys(catalogs.resources.en.common)
      .filter((k) => k.endsWith('_one'))
      .map((k) => k.slice(0, -'_one'.length))
      .slice(0, 5)) {
      for (const count of [1, 2, 1, 0]) expect(c(key, { count }), `${key} ${count}`).toBe(plainC(key, { count }));
    }
    // A value that is not a string or a number (and a default value) goes to i18next as it is.
    expect(t('ack.subject', { number: 7n as unknown as number })).toBe(
      base.getFixedT('en', 'mail')('ack.subject', { number: 7n as unknown as number }),
    );
    expect(t('no.such.key', { defaultValue: 'fallback {{a}}', a: 'x' })).toBe('fallback x');
  });

  it('names every kind of target as i18next does, the first time and again, and a changed title anew', () => {
    const targets: Target[] = [
      { sectionNumber: 0 },
      { sectionNumber: 3 },
      { sectionNumber: 3, sectionTitle: '「ごみ分別」の改善状況について。' },
      { sectionNumber: 3, sectionTitle: 'ごみ分別', itemNumber: 2 },
      { sectionNumber: 3, sectionTitle: 'ごみ分別', itemNumber: 2, itemHeading: '回収日の見直し' },
      { sectionNumber: 12, itemNumber: 11, itemHeading: '駐車場' },
    ];
    let named = 0;
    for (const lng of LANGUAGES) {
      const t = getT(lng, ['mail', 'common']);
      // A plain fixed t, which formatTarget does not remember for.
      const plain = base.getFixedT(lng, ['mail', 'common']);
      for (const target of targets)
        for (const style of ['short', 'long'] as const) {
          const expected = formatTarget(target, style, plain);
          expect(formatTarget(target, style, t), `${lng} ${style} ${JSON.stringify(target)}`).toBe(expected);
          expect(formatTarget({ ...target }, style, t), 'again').toBe(expected);
          named += 1;
        }
      // The same numbers under a revised title: the new title, not the remembered one.
      const revised = formatTarget({ sectionNumber: 3, sectionTitle: '公園の整備', itemNumber: 2 }, 'long', t);
      expect(revised).toContain('公園の整備');
      expect(revised).not.toContain('ごみ分別');
    }
    expect(named).toBe(LANGUAGES.length * targets.length * 2);
  });
});
