// Words for numbers and targets, shared by the browser and the server. Dates
// and times: ./local-time. Given a `t` (i18next, namespace common), the words
// come from the reader's catalog (target.*); without one, Japanese (the staff
// console, until it is translated).
import type { TFunction } from 'i18next';

/** Any i18next `t` whose namespaces include common. */
export type Translate = TFunction<any, any>;
const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (1–99). */
export function toKanjiNumber(n: number): string {
  if (n < 10) return DIGITS[n] || '〇';
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

export function sectionLabel(section: number): string {
  return section === 0 ? '通報全体' : `第${toKanjiNumber(section)}項`;
}

export function itemLabel(item: number): string {
  return `(${toKanjiNumber(item)})`;
}

/** What an opinion is about: a section (0 = the whole notice) and maybe one of its items. */
export type Target = {
  sectionNumber: number;
  sectionTitle?: string | null;
  itemNumber?: number | null;
  itemHeading?: string | null;
};

/**
 * A title quoted once in 「」, without a closing 。, so that a particle can
 * follow it naturally: 「…の改善状況について」への意見, not …についてへの意見.
 */
export function quoteTitle(title: string): string {
  const t = title.trim().replace(/[。．.]+$/u, '');
  if (/^「[^「」]*」$/u.test(t)) return t;
  // Quotes inside a quotation become 『』, as Japanese typesetting nests them.
  return `「${t.replace(/「/gu, '『').replace(/」/gu, '』')}」`;
}

/**
 * The one way to name a target. `short`: 第三項(二) (tables); `long`
 * (default): 第三項「section title」 ／ (二)「item heading」.
 */
export function formatTarget(t: Target, style: 'short' | 'long' = 'long', tr?: Translate): string {
  if (tr) return translatedTarget(tr, t, style);
  if (t.sectionNumber === 0) return '通報全体';
  const section = sectionLabel(t.sectionNumber);
  const item = t.itemNumber == null ? '' : itemLabel(t.itemNumber);
  if (style === 'short') return `${section}${item}`;
  const sectionPart = t.sectionTitle ? `${section}${quoteTitle(t.sectionTitle)}` : section;
  if (t.itemNumber == null) return sectionPart;
  return `${sectionPart} ／ ${item}${t.itemHeading ? quoteTitle(t.itemHeading) : ''}`;
}

/** 「…」への意見: a heading for the opinions on a target. */
export function opinionsAbout(t: Target, style: 'short' | 'long' = 'long', tr?: Translate): string {
  if (tr) return tr('target.opinionsAbout', { target: translatedTarget(tr, t, style) });
  return `${formatTarget(t, style)}への意見`;
}

/**
 * Names already made by a `t` whose catalogs never change (the server's, from
 * `getT`): every opinion's two mails name their target, and i18next's
 * interpolation of the three or four parts was ~3 % of an opinion thread's time.
 */
const namedTargets = new WeakMap<Translate, Map<string, string>>();
const NAMED_TARGETS_MAX = 2_000;

/** Lets `formatTarget` remember what `tr` made of each target (only for a `t` whose catalogs never change). */
export function rememberTargetNames(tr: Translate): void {
  if (!namedTargets.has(tr)) namedTargets.set(tr, new Map());
}

function translatedTarget(tr: Translate, t: Target, style: 'short' | 'long'): string {
  const named = namedTargets.get(tr);
  if (!named) return nameTarget(tr, t, style);
  const key = `${style}\u0000${t.sectionNumber}\u0000${t.itemNumber ?? ''}\u0000${t.sectionTitle ?? ''}\u0000${t.itemHeading ?? ''}`;
  let name = named.get(key);
  if (name === undefined) {
    if (named.size >= NAMED_TARGETS_MAX) named.clear();
    named.set(key, (name = nameTarget(tr, t, style)));
  }
  return name;
}

function nameTarget(tr: Translate, t: Target, style: 'short' | 'long'): string {
  if (t.sectionNumber === 0) return tr('target.whole');
  const quote = (title: string) => tr('target.quote', { title: quoteTitle(title).slice(1, -1) });
  const section = tr('target.section', { n: t.sectionNumber });
  const item = t.itemNumber == null ? '' : tr('target.item', { n: t.itemNumber });
  if (style === 'short') return `${section}${item}`;
  const sectionPart = t.sectionTitle ? `${section}${quote(t.sectionTitle)}` : section;
  if (t.itemNumber == null) return sectionPart;
  // The item's own leading space ("section 5 (3)" in the short form) would double the separator's.
  return `${sectionPart}${tr('target.separator')}${item.trimStart()}${t.itemHeading ? quote(t.itemHeading) : ''}`;
}

/** 三、title (ja, zh-Hans) or 3. title (en): a section's heading as the notice numbers it. */
export function sectionHeading(tr: Translate, n: number, title: string): string {
  return tr('target.sectionHeading', { n, title });
}

/** (二)heading (ja), （二）heading (zh-Hans), (2) heading (en). */
export function itemHeading(tr: Translate, n: number, heading: string): string {
  return tr('target.itemHeading', { n, heading });
}
