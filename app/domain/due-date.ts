// Working-day arithmetic for answer deadlines. Pure: the staff console uses it
// in the browser too. Days are counted on the calendar of Asia/Shanghai.
// Public holidays are not modelled: the deadline is a Monday–Friday count, as
// the office's own SLA is stated. A deadline is a day, and means the end of
// it: it is stored as that day's last millisecond in Shanghai and shown as a
// date, never with the time the opinion happened to arrive.
import { addDays, endOfLocalDay, localWeekday, toLocalDay } from '~/utils/local-time';

/**
 * The Shanghai day `days` working days (Monday–Friday) after the day of
 * `start`. A start on a weekend counts from it: Saturday + 1 → Monday.
 */
export function addWorkingDays(start: Date, days: number): string {
  let day = toLocalDay(start);
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    day = addDays(day, 1);
    const wd = localWeekday(`${day}T12:00:00+08:00`);
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return day;
}

/** The answer deadline of an opinion received at `receivedAt`: the end of that working day, as ISO text. */
export function computeDueAt(receivedAt: Date, slaDays: number): string {
  return endOfLocalDay(addWorkingDays(receivedAt, slaDays))!;
}
