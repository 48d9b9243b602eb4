// getT's `t` remembers what it answered for a key asked without options
// (catalogs.server.ts). What it answers must be exactly i18next's answer, for
// every key of every catalog, asked once or again; a call with options must
// reach i18next every time.
import { describe, expect, it } from 'vitest';
import { base, catalogs, getT } from '~/i18n/catalogs.server';
import { LANGUAGES } from '~/i18n/config';
import { formatTarget, type Target } from '~/utils/format';

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
  return [prefix];
}

describe('getT', () => {
  it("answers every key of every catalog as i18next does, the first time and again", () => {
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

  it('asks i18next every time when options are given', () => {
    const t = getT('en', 'mail');
    const first = t('ack.subject', { number: 'XZ-2026-AAAA-AAAA' });
    const second = t('ack.subject', { number: 'XZ-2026-BBBB-BBBB' });
    expect(first).toContain('XZ-2026-AAAA-AAAA');
    expect(second).toContain('XZ-2026-BBBB-BBBB');
    // Asked without options, the same key is the catalog's text with its placeholder.
    expect(t('ack.subject')).toBe(base.getFixedT('en', 'mail')('ack.subject'));
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
