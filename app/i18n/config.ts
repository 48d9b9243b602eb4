// Shared by the server and the browser: which languages exist, which one is
// the default, and the i18next options both sides start from.
import type { i18n, InitOptions } from 'i18next';

export const LANGUAGES = ['ja', 'zh-Hans', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'ja';
/** The cookie that remembers a reader's choice (plain value: ja, zh-Hans or en). */
export const LANGUAGE_COOKIE = 'lng';
/** The namespace every page has (layout, errors, shared components, form messages). */
export const DEFAULT_NAMESPACE = 'common';

/** Each language's name in itself, for the language switch. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  ja: '日本語',
  'zh-Hans': '简体中文',
  en: 'English',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The BCP 47 tag handed to Intl (a region so that dates read as they do locally). */
export const INTL_LOCALES: Record<Language, string> = {
  ja: 'ja-JP',
  'zh-Hans': 'zh-Hans-CN',
  en: 'en-GB',
};

export const i18nConfig = {
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: DEFAULT_NAMESPACE,
  ns: [DEFAULT_NAMESPACE],
  // A route's `t` (e.g. useTranslation('reports')) also finds the shared keys.
  fallbackNS: DEFAULT_NAMESPACE,
  // React escapes what it renders; mail templates escape through their own helpers.
  interpolation: { escapeValue: false },
  // "zh-Hans" is one language here, not "zh" with a fallback chain.
  load: 'currentOnly',
  returnNull: false,
} satisfies InitOptions;

/**
 * Formatters the catalogs use, registered on every instance (server and
 * browser): `{{n, kanji}}` writes 3 as 三 (section and item numbers in
 * Japanese and Chinese, as the notice itself numbers them).
 */
export function addFormatters(instance: i18n, kanji: (n: number) => string): void {
  instance.services.formatter?.add('kanji', (value) => kanji(Number(value)));
}
