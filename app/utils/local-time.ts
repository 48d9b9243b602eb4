// The office's clock: every date a person reads or types is in Asia/Shanghai
// (UTC+8 all year, no daylight saving), whatever zone the server runs in.
// Stored times are UTC ISO text; this module is the one place that converts.

export const OFFICE_TIME_ZONE = 'Asia/Shanghai';
const OFFSET = '+08:00';
/** Shanghai's offset from UTC (no daylight saving since 1991). */
export const OFFICE_UTC_OFFSET_MS = 8 * 3600_000;
const OFFSET_MS = OFFICE_UTC_OFFSET_MS;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_MINUTE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

function valid(d: Date): Date | null {
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Whether a YYYY-MM-DD string names a real calendar day (2030-02-31 does not). */
export function isCalendarDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** The first moment of a YYYY-MM-DD day in Shanghai, as stored ISO text. */
export function startOfLocalDay(day: string): string | null {
  if (!isCalendarDay(day)) return null;
  return valid(new Date(`${day}T00:00:00${OFFSET}`))?.toISOString() ?? null;
}

/** The last millisecond of a YYYY-MM-DD day in Shanghai, as stored ISO text. */
export function endOfLocalDay(day: string): string | null {
  if (!isCalendarDay(day)) return null;
  return valid(new Date(`${day}T23:59:59.999${OFFSET}`))?.toISOString() ?? null;
}

/** A `datetime-local` value (YYYY-MM-DDTHH:mm) read as Shanghai time. */
export function fromLocalDateTime(value: string): Date | null {
  if (!LOCAL_MINUTE.test(value)) return null;
  return valid(new Date(`${value}:00${OFFSET}`));
}

/** A date-only or time-stamped value, read in Shanghai (a bare day means its noon). */
export function parseLocal(iso: string): Date | null {
  return valid(DAY.test(iso) ? new Date(`${iso}T12:00:00${OFFSET}`) : new Date(iso));
}

/** The Shanghai calendar day (YYYY-MM-DD) of a moment. */
export function toLocalDay(moment: string | number | Date): string {
  return new Date(new Date(moment).getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** The Shanghai wall time of a moment as a `datetime-local` value (YYYY-MM-DDTHH:mm). */
export function toLocalDateTime(moment: string | number | Date = new Date()): string {
  return new Date(new Date(moment).getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** Day of the week in Shanghai (0 = Sunday). */
export function localWeekday(moment: string | number | Date): number {
  return new Date(new Date(moment).getTime() + OFFSET_MS).getUTCDay();
}

/** Adds whole calendar days to a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'long', day: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, hour: '2-digit', minute: '2-digit' };

/** One formatter per locale and style, made once (each opinion's mail dates two). */
const formatters = new Map<Intl.DateTimeFormatOptions, Map<string, Intl.DateTimeFormat>>([
  [DATE, new Map()],
  [DATE_TIME, new Map()],
]);
function formatter(locale: string, style: typeof DATE | typeof DATE_TIME): Intl.DateTimeFormat {
  const byLocale = formatters.get(style)!;
  let f = byLocale.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: OFFICE_TIME_ZONE, ...style });
    byLocale.set(locale, f);
  }
  return f;
}

/** 2023年7月3日 */
export function formatDate(iso: string, locale = 'ja-JP'): string {
  const d = parseLocal(iso);
  return d ? formatter(locale, DATE).format(d) : iso;
}

/** 2023年7月3日 09:00 (China Standard Time, as the notice is dated) */
export function formatDateTime(iso: string, locale = 'ja-JP'): string {
  const d = parseLocal(iso);
  return d ? formatter(locale, DATE_TIME).format(d) : iso;
}

/** 2026-11-27 09:30: sortable, and read as a date by spreadsheets. */
export function formatSortableDateTime(iso: string): string {
  const d = parseLocal(iso);
  return d ? toLocalDateTime(d).replace('T', ' ') : iso;
}
