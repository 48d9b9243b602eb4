// Words and figures of the staff console in the staff member's language:
// status, channel and role names, section and item labels for lists
// (第三項 / Section 3), targets (through ~/utils/format's formatTarget),
// numbers, dates and times (Asia/Shanghai, the zone named outside Japanese).
// Browser-safe: components call `useStaffFormat()`, server code (the CSV
// export, loaders) calls `staffFormat(getT(lng, 'staff'), lng)`.
// Japanese goes through ~/utils/format unchanged, so its text stays exactly
// what the one formatter writes.
import { useTranslation } from 'react-i18next';
import type { Channel, OpinionStatus, ReplyStatus, Role } from '../../db/schema';
import { DEFAULT_LANGUAGE, INTL_LOCALES, isLanguage, type Language } from '~/i18n/config';
import { formatTarget, itemLabel, sectionLabel, toKanjiNumber, type Target, type Translate } from '~/utils/format';
import { formatDate, formatDateTime } from '~/utils/local-time';

/** A `t` of the staff namespace (react-i18next's or i18next's fixed one). */
export type StaffT = (key: string, options?: Record<string, unknown>) => string;

const MESSAGE_KEY = /^[A-Za-z][\w-]*(\.[\w-]+)+$/;

export function staffFormat(t: StaffT, lng: Language) {
  const locale = INTL_LOCALES[lng];
  // Chinese numbers sections as Japanese does (第三项); English in digits.
  const numeral = (n: number) => (lng === 'en' ? String(n) : toKanjiNumber(n));
  const section = (n: number) => (lng === 'ja' ? sectionLabel(n) : n === 0 ? t('target.whole') : t('target.section', { n: numeral(n) }));
  const item = (n: number) => (lng === 'ja' ? itemLabel(n) : t('target.item', { n: numeral(n) }));
  return {
    lng,
    locale,
    t,
    number: (n: number) => n.toLocaleString(locale),
    /** 12件 / 12 件 / 12 opinions. */
    count: (n: number) => t('count', { count: n }),
    date: (iso: string) => formatDate(iso, locale),
    dateTime: (iso: string) => t('time.dateTime', { value: formatDateTime(iso, locale) }),
    status: (s: OpinionStatus) => t(`status.${s}`),
    channel: (c: Channel) => t(`channel.${c}`),
    role: (r: Role) => t(`role.${r}`),
    replyStatus: (s: ReplyStatus) => t(`replyStatus.${s}`),
    section,
    item,
    /**
     * A message that may be a catalog key (a zod message, a translated
     * action result) or text: a key is looked up in the staff namespace, then
     * in common (the public form's rules); anything else is shown as it is.
     */
    message: (text: string, values?: Record<string, unknown>) => (MESSAGE_KEY.test(text) ? t(text, { ...values, ns: ['staff', 'common'] }) : text),
    /** The one way to name a target (~/utils/format's formatTarget, with the common catalog's words). */
    target: (target: Target, style: 'short' | 'long' = 'long'): string =>
      lng === 'ja' ? formatTarget(target, style) : formatTarget(target, style, ((key: string, options?: Record<string, unknown>) => t(key, { ...options, ns: 'common' })) as Translate),
  };
}

export type StaffFormat = ReturnType<typeof staffFormat>;

/**
 * Words already looked up while rendering this page on the server, by the
 * request's i18next instance (one per request; every catalog is loaded before
 * rendering and never changes). A staff table asks for the same few words in
 * every row (status, channel, 未割当…): i18next's lookup and interpolation,
 * row after row, were a tenth of the inbox's time. In the browser, where
 * namespaces load on demand, every call goes to i18next.
 */
const serverWords = new WeakMap<object, Map<string, string>>();

export function rememberedOnServer(t: StaffT, i18n: object, lng: Language): StaffT {
  if (typeof document !== 'undefined') return t;
  let words = serverWords.get(i18n);
  if (!words) serverWords.set(i18n, (words = new Map()));
  const known = words;
  return (key, options) => {
    const id = options === undefined ? `${lng}\u0000${key}` : `${lng}\u0000${key}\u0000${JSON.stringify(options)}`;
    let word = known.get(id);
    if (word === undefined) known.set(id, (word = t(key, options)));
    return word;
  };
}

/** The staff namespace's `t` and formatters for the page's language. */
export function useStaffFormat(): StaffFormat {
  const { t, i18n } = useTranslation('staff');
  const lng = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  return staffFormat(rememberedOnServer(t as StaffT, i18n, lng), lng);
}

type LayoutMatch = { id: string; data?: unknown };

/**
 * A staff page's <title> and robots tag. `title` comes from the page's loader
 * (already translated); without it (a thrown 404) the layout's translated
 * "not found" title is used.
 */
export function staffMeta(title: string | undefined, matches: readonly LayoutMatch[]) {
  const layout = matches.find((m) => m.id === 'routes/staff')?.data as { titles?: { suffix: string; notFound: string } } | undefined;
  const fallback = layout?.titles?.notFound ?? 'ページが見つかりません | 意見箱';
  return [{ title: title ?? fallback }, { name: 'robots', content: 'noindex' }];
}

/**
 * Whether a message from the server (a thrown Response's text, a model's
 * error) can be shown on a page in `lng`: some server modules still speak
 * only Japanese, and their words must not land on a Chinese or English page,
 * where the page's own translated fallback is shown instead.
 */
export function readsAs(text: string, lng: Language): boolean {
  if (lng === 'ja') return true;
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return false;
  return lng !== 'en' || !/\p{Script=Han}/u.test(text);
}
