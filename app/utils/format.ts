// Formatting shared by the browser and the server.
const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 10 → 十, 13 → 十三, 21 → 二十一 (1–99). */
export function toKanjiNumber(n: number): string {
  if (n < 10) return DIGITS[n] || '〇';
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

const TZ = 'Asia/Shanghai';
const dateFmt = new Intl.DateTimeFormat('ja-JP', { timeZone: TZ, year: 'numeric', month: 'long', day: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat('ja-JP', {
  timeZone: TZ,
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** 2023年7月3日 */
export function formatDate(iso: string): string {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00+08:00`) : new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

/** 2023年7月3日 09:00 (China Standard Time, as the notice is dated) */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTimeFmt.format(d);
}

export function sectionLabel(section: number): string {
  return section === 0 ? '通報全体' : `第${toKanjiNumber(section)}項`;
}

export function itemLabel(item: number): string {
  return `(${toKanjiNumber(item)})`;
}
