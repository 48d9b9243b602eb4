// Words for numbers and targets, shared by the browser and the server. Dates
// and times: ./local-time.
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
export function formatTarget(t: Target, style: 'short' | 'long' = 'long'): string {
  if (t.sectionNumber === 0) return '通報全体';
  const section = sectionLabel(t.sectionNumber);
  const item = t.itemNumber == null ? '' : itemLabel(t.itemNumber);
  if (style === 'short') return `${section}${item}`;
  const sectionPart = t.sectionTitle ? `${section}${quoteTitle(t.sectionTitle)}` : section;
  if (t.itemNumber == null) return sectionPart;
  return `${sectionPart} ／ ${item}${t.itemHeading ? quoteTitle(t.itemHeading) : ''}`;
}

/** 「…」への意見: a heading for the opinions on a target. */
export function opinionsAbout(t: Target, style: 'short' | 'long' = 'long'): string {
  return `${formatTarget(t, style)}への意見`;
}
