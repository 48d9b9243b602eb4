import { describe, expect, it } from 'vitest';
import { addWorkingDays, computeDueAt } from '~/domain/due-date';

// Times are given in Asia/Shanghai (+08:00), where working days are counted.
const d = (s: string) => new Date(s);

describe('working days', () => {
  it('counts Monday to Friday within a week', () => {
    expect(addWorkingDays(d('2023-07-03T09:30:00+08:00'), 3)).toBe('2023-07-06');
  });

  it('skips the weekend', () => {
    // Friday + 1 → Monday
    expect(addWorkingDays(d('2023-07-07T16:00:00+08:00'), 1)).toBe('2023-07-10');
    // Thursday + 5 → next Thursday
    expect(addWorkingDays(d('2023-07-06T10:00:00+08:00'), 5)).toBe('2023-07-13');
  });

  it('counts from a weekend day to the following working days', () => {
    expect(addWorkingDays(d('2023-07-08T12:00:00+08:00'), 1)).toBe('2023-07-10');
    expect(addWorkingDays(d('2023-07-09T12:00:00+08:00'), 2)).toBe('2023-07-11');
  });

  it('uses the Shanghai calendar: Friday 23:30 there is Friday 15:30 UTC', () => {
    expect(addWorkingDays(d('2023-07-07T23:30:00+08:00'), 1)).toBe('2023-07-10');
    // Saturday 01:00 in Shanghai is Friday 17:00 UTC: it is a weekend day here.
    expect(addWorkingDays(d('2023-07-08T01:00:00+08:00'), 1)).toBe('2023-07-10');
  });

  it('makes 15 working days three calendar weeks, due at the end of that day whatever the time of receipt', () => {
    expect(computeDueAt(d('2023-07-03T09:00:00+08:00'), 15)).toBe(d('2023-07-24T23:59:59.999+08:00').toISOString());
    expect(computeDueAt(d('2023-07-03T23:59:00+08:00'), 15)).toBe(d('2023-07-24T23:59:59.999+08:00').toISOString());
  });

  it('returns the start day for zero days', () => {
    expect(addWorkingDays(d('2023-07-08T12:00:00+08:00'), 0)).toBe('2023-07-08');
  });
});

describe('working days, against the calendar read day by day', () => {
  // The rule spelled out on calendar strings: step one Shanghai day at a
  // time, count the days that are not Saturday or Sunday there.
  function byCalendar(start: Date, days: number): string {
    const shanghai = (ms: number) => new Date(ms + 8 * 3600_000);
    let day = shanghai(start.getTime()).toISOString().slice(0, 10);
    let left = days;
    while (left > 0) {
      const next = new Date(`${day}T12:00:00+08:00`);
      next.setTime(next.getTime() + 24 * 3600_000);
      day = shanghai(next.getTime()).toISOString().slice(0, 10);
      const wd = new Date(`${day}T12:00:00+08:00`).getUTCDay();
      if (wd !== 0 && wd !== 6) left -= 1;
    }
    return day;
  }

  it('agrees for starts every 7 hours over two years, 0 to 30 working days, and is due at the last millisecond of that day', () => {
    let checked = 0;
    for (let ms = Date.parse('2023-12-25T00:00:00Z'); ms < Date.parse('2025-12-31T00:00:00Z'); ms += 7 * 3600_000) {
      const start = new Date(ms);
      for (const days of [0, 1, 4, 5, 6, 15, 30]) {
        const expected = byCalendar(start, days);
        expect(addWorkingDays(start, days)).toBe(expected);
        expect(computeDueAt(start, days)).toBe(new Date(`${expected}T23:59:59.999+08:00`).toISOString());
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it('counts a fractional or negative number of days as the whole days it holds, at least none', () => {
    const friday = d('2023-07-07T10:00:00+08:00');
    expect(addWorkingDays(friday, 1.9)).toBe('2023-07-10');
    expect(addWorkingDays(friday, -3)).toBe('2023-07-07');
  });
});
