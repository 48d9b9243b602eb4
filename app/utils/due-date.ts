// Working-day arithmetic for answer deadlines. Pure: the staff console uses it
// in the browser too. Days are counted on the calendar of Asia/Shanghai
// (UTC+8 all year, no daylight saving), so a day is always exactly 24 hours
// there and the time of day is kept. Public holidays are not modelled: the
// deadline is a Monday–Friday count, as the office's own SLA is stated.
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

function shanghaiWeekday(t: number): number {
  return new Date(t + SHANGHAI_OFFSET_MS).getUTCDay();
}

/**
 * The moment `days` working days (Monday–Friday in Asia/Shanghai) after
 * `start`, at the same time of day. A start on a weekend counts from it:
 * Saturday + 1 → Monday.
 */
export function addWorkingDays(start: Date, days: number): Date {
  let t = start.getTime();
  let left = Math.max(0, Math.floor(days));
  while (left > 0) {
    t += DAY_MS;
    const wd = shanghaiWeekday(t);
    if (wd !== 0 && wd !== 6) left -= 1;
  }
  return new Date(t);
}

/** The answer deadline of an opinion received at `receivedAt`, as an ISO string. */
export function computeDueAt(receivedAt: Date, slaDays: number): string {
  return addWorkingDays(receivedAt, slaDays).toISOString();
}
