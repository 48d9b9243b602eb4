// Working-day arithmetic for answer deadlines. Pure: the staff console uses it
// in the browser too. Days are counted on the calendar of Asia/Shanghai.
// Public holidays are not modelled: the deadline is a Monday–Friday count, as
// the office's own SLA is stated. A deadline is a day, and means the end of
// it: it is stored as that day's last millisecond in Shanghai and shown as a
// date, never with the time the opinion happened to arrive.
import { OFFICE_UTC_OFFSET_MS } from '~/utils/local-time';

const DAY_MS = 86_400_000;

/** The Shanghai calendar day of a moment, as a count of days since 1970-01-01. */
function localDayNumber(moment: Date): number {
  return Math.floor((moment.getTime() + OFFICE_UTC_OFFSET_MS) / DAY_MS);
}

/** Day of the week of a day number (0 = Sunday; 1970-01-01 was a Thursday). */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

/** The day number `days` working days after `start`'s Shanghai day (plain integers: this runs for every opinion). */
function workingDaysLater(start: Date, days: number): number {
  let day = localDayNumber(start);
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    day += 1;
    const wd = weekday(day);
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return day;
}

/**
 * The Shanghai day `days` working days (Monday–Friday) after the day of
 * `start`. A start on a weekend counts from it: Saturday + 1 → Monday.
 */
export function addWorkingDays(start: Date, days: number): string {
  return new Date(workingDaysLater(start, days) * DAY_MS).toISOString().slice(0, 10);
}

/** The answer deadline of an opinion received at `receivedAt`: the end of that working day, as ISO text. */
export function computeDueAt(receivedAt: Date, slaDays: number): string {
  return new Date((workingDaysLater(receivedAt, slaDays) + 1) * DAY_MS - OFFICE_UTC_OFFSET_MS - 1).toISOString();
}
